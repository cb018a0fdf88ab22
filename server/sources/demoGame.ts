/**
 * The built-in demo game: Pong against the CPU, played with horizontal
 * paddles (player at the bottom, CPU at the top). Pure logic and state:
 * no timers, no drawing, time advances only through `step(dtMs)`, and the
 * serve angle comes from a seeded PRNG, so tests are deterministic.
 *
 * Every press (key, pointer button, touch start, pad button) bumps an
 * input counter and lights a flash indicator, so even a key the game does
 * not use changes the very next frame: end-to-end tests rely on that.
 */
import { stampCellSize } from '../../protocol/index.ts';
import type { InputEvent } from '../../protocol/index.ts';
import { DemoControls } from './demoControls.ts';
import type { DemoSound } from './demoSounds.ts';
import { seededRandom as prng } from './seededRandom.ts';

export type DemoPhase = 'serve' | 'play' | 'over';
export type Box = { x: number; y: number; w: number; h: number };
export type Ball = { x: number; y: number; r: number; vx: number; vy: number };

export type DemoGameState = {
  phase: DemoPhase;
  score: { player: number; cpu: number };
  winScore: number;
  player: Box;
  cpu: Box;
  ball: Ball;
  /** Presses applied so far (shown on screen, so every press changes the picture). */
  inputs: number;
  /** Remaining time of the input flash indicator. */
  flashMs: number;
  /** Short label of the last key pressed, e.g. "LEFT", "A"; "" before any. */
  lastKey: string;
  timeMs: number;
};

export type DemoLayout = {
  /** Height of the two latency-stamp rows at the top; nothing of the game is placed there. */
  stampBand: number;
  hudTop: number;
  hudHeight: number;
  fieldTop: number;
  fieldBottom: number;
  margin: number;
};

export type DemoGameOptions = {
  width: number;
  height: number;
  winScore?: number;
  /** Serve (or restart after game over) by itself after this long without input, so an idle stream still moves; 0 = never. */
  autoServeMs?: number;
  seed?: number;
};

const FLASH_MS = 250;
/** Longest step simulated at once (a stalled timer must not teleport the ball). */
const MAX_STEP_MS = 250;
/** Substep so a fast ball cannot tunnel through a paddle. */
const MAX_SUBSTEP_MS = 4;

const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n));

export class DemoGame {
  readonly width: number;
  readonly height: number;
  readonly layout: DemoLayout;
  private readonly winScore: number;
  private readonly autoServeMs: number;
  private readonly rand: () => number;
  // Speeds scale with the picture so the game plays the same at any resolution.
  private readonly paddleSpeed: number;
  private readonly nudgePx: number;
  private readonly cpuSpeed: number;
  private readonly ballSpeed: number;
  private readonly maxBallSpeed: number;

  private phase: DemoPhase = 'serve';
  private score = { player: 0, cpu: 0 };
  private readonly player: Box;
  private readonly cpu: Box;
  private readonly ball: Ball;
  private inputs = 0;
  private flashMs = 0;
  private lastKey = '';
  private timeMs = 0;
  private serveIdleMs = 0;
  /** Told of every sound-worthy event (press, serve, hits, points); the audio source plays it. */
  onSound: (sound: DemoSound) => void = () => {};
  private readonly controls = new DemoControls({
    press: (label) => this.press(label),
    nudge: (dx, dy) => this.placePlayer(this.player.x + dx * this.nudgePx, this.player.y + dy * this.nudgePx),
    setPaddleX: (nx) => this.placePlayer(nx * this.width - this.player.w / 2, this.player.y),
    launch: () => this.launch(),
  });

  constructor(o: DemoGameOptions) {
    const { width, height } = o;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 64 || height < 64) {
      throw new RangeError(`demo game needs integer dimensions >= 64, got ${width}x${height}`);
    }
    this.width = width;
    this.height = height;
    this.winScore = o.winScore ?? 7;
    this.autoServeMs = o.autoServeMs ?? 5000;
    this.rand = prng(o.seed ?? 1);
    const stampBand = 2 * stampCellSize(width);
    const hudHeight = Math.max(12, Math.round(height * 0.09));
    const margin = Math.max(4, Math.round(height * 0.03));
    this.layout = { stampBand, hudTop: stampBand, hudHeight, fieldTop: stampBand + hudHeight, fieldBottom: height, margin };

    const pw = Math.round(width * 0.12);
    const ph = Math.max(4, Math.round(height * 0.018));
    this.player = { x: (width - pw) / 2, y: this.playerMaxY(ph), w: pw, h: ph };
    this.cpu = { x: (width - pw) / 2, y: this.layout.fieldTop + margin, w: pw, h: ph };
    this.ball = { x: 0, y: 0, r: Math.max(3, Math.round(Math.min(width, height) * 0.012)), vx: 0, vy: 0 };
    this.paddleSpeed = width * 0.9;
    this.nudgePx = width * 0.025;
    this.cpuSpeed = width * 0.35;
    this.ballSpeed = height * 0.8;
    this.maxBallSpeed = height * 1.8;
    this.attachBall();
  }

  get state(): DemoGameState {
    return {
      phase: this.phase,
      score: { ...this.score },
      winScore: this.winScore,
      player: { ...this.player },
      cpu: { ...this.cpu },
      ball: { ...this.ball },
      inputs: this.inputs,
      flashMs: this.flashMs,
      lastKey: this.lastKey,
      timeMs: this.timeMs,
    };
  }

  /** Applies one event at once (not at the next step), so the next frame already shows it. */
  applyInput(ev: InputEvent): void {
    this.controls.apply(ev);
  }

  step(dtMs: number): void {
    const dt = clamp(dtMs, 0, MAX_STEP_MS);
    this.timeMs += dt;
    this.flashMs = Math.max(0, this.flashMs - dt);
    if (this.phase !== 'play' && this.autoServeMs > 0) {
      this.serveIdleMs += dt;
      if (this.serveIdleMs >= this.autoServeMs) this.launch();
    }
    const n = Math.ceil(dt / MAX_SUBSTEP_MS);
    for (let i = 0; i < n; i++) {
      const sub = dt / n / 1000;
      this.movePlayer(sub);
      this.moveCpu(sub);
      if (this.phase === 'play') this.moveBall(sub);
      else this.attachBall();
    }
  }

  private press(keyLabel?: string): void {
    if (keyLabel !== undefined) this.lastKey = keyLabel;
    this.inputs++;
    this.onSound('press');
    this.flashMs = FLASH_MS;
    this.serveIdleMs = 0;
  }

  /** Serve from the player's paddle, or start a new match after game over. */
  private launch(): void {
    if (this.phase === 'over') {
      this.score = { player: 0, cpu: 0 };
      this.phase = 'serve';
      this.serveIdleMs = 0;
      this.attachBall();
      this.onSound('launch');
      return;
    }
    if (this.phase !== 'serve') return;
    const angle = (this.rand() - 0.5) * 0.9;
    this.ball.vx = Math.sin(angle) * this.ballSpeed;
    this.ball.vy = -Math.cos(angle) * this.ballSpeed;
    this.phase = 'play';
    this.onSound('launch');
  }

  private playerMaxY(h = this.player.h): number {
    return this.layout.fieldBottom - this.layout.margin - h;
  }

  private placePlayer(x: number, y: number): void {
    const minY = this.layout.fieldBottom - (this.layout.fieldBottom - this.layout.fieldTop) * 0.3;
    this.player.x = clamp(x, 0, this.width - this.player.w);
    this.player.y = clamp(y, minY, this.playerMaxY());
    if (this.phase !== 'play') this.attachBall();
  }

  private movePlayer(dtS: number): void {
    const d = this.controls.direction();
    if (d.x === 0 && d.y === 0) return;
    const v = this.paddleSpeed * dtS;
    this.placePlayer(this.player.x + d.x * v, this.player.y + d.y * v);
  }

  /** Tracks the ball only while it comes towards the CPU, at a capped speed, so it can be beaten. */
  private moveCpu(dtS: number): void {
    const target = this.phase === 'play' && this.ball.vy < 0 ? this.ball.x : this.width / 2;
    const centre = this.cpu.x + this.cpu.w / 2;
    const move = clamp(target - centre, -this.cpuSpeed * dtS, this.cpuSpeed * dtS);
    this.cpu.x = clamp(this.cpu.x + move, 0, this.width - this.cpu.w);
  }

  private moveBall(dtS: number): void {
    const b = this.ball;
    const prevY = b.y;
    b.x += b.vx * dtS;
    b.y += b.vy * dtS;
    if (b.x - b.r < 0) {
      b.x = b.r;
      b.vx = Math.abs(b.vx);
      this.onSound('wall');
    } else if (b.x + b.r > this.width) {
      b.x = this.width - b.r;
      b.vx = -Math.abs(b.vx);
      this.onSound('wall');
    }
    const p = this.player;
    const c = this.cpu;
    const overlapsX = (q: Box): boolean => b.x + b.r >= q.x && b.x - b.r <= q.x + q.w;
    if (b.vy > 0 && b.y + b.r >= p.y && prevY + b.r <= p.y + p.h && overlapsX(p)) {
      this.bounce(p, -1);
      b.y = p.y - b.r;
    } else if (b.vy < 0 && b.y - b.r <= c.y + c.h && prevY - b.r >= c.y && overlapsX(c)) {
      this.bounce(c, 1);
      b.y = c.y + c.h + b.r;
    }
    if (b.y - b.r > this.layout.fieldBottom) this.point('cpu');
    else if (b.y + b.r < this.layout.fieldTop) this.point('player');
  }

  /** The further from the paddle's centre, the steeper the return (up to ~57 degrees); each hit is 5% faster. */
  private bounce(q: Box, dirY: 1 | -1): void {
    const b = this.ball;
    const offset = clamp((b.x - (q.x + q.w / 2)) / (q.w / 2), -1, 1);
    const speed = Math.min(this.maxBallSpeed, Math.hypot(b.vx, b.vy) * 1.05);
    b.vx = Math.sin(offset) * speed;
    b.vy = dirY * Math.cos(offset) * speed;
    this.onSound('paddle');
  }

  private point(who: 'player' | 'cpu'): void {
    this.score[who]++;
    this.phase = this.score[who] >= this.winScore ? 'over' : 'serve';
    this.onSound(this.phase === 'over' ? 'over' : 'score');
    this.serveIdleMs = 0;
    this.ball.vx = 0;
    this.ball.vy = 0;
    this.attachBall();
  }

  /** Between points the ball rests on the player's paddle and follows it. */
  private attachBall(): void {
    this.ball.x = this.player.x + this.player.w / 2;
    this.ball.y = this.player.y - this.ball.r - 1;
  }
}
