/**
 * Draws the demo game into a raw yuv420p frame, then the latency stamp
 * (docs/latency-stamp.md) on top, so nothing of the scene covers it.
 *
 * Each call returns a fresh Buffer: the consumer may still hold earlier
 * frames while ffmpeg's stdin drains them, so reusing a buffer could
 * change a frame already queued. Buffer.allocUnsafe is safe here because
 * the background fill overwrites every byte before anything else.
 */
import { writeStampYuv420 } from '../../protocol/index.ts';
import type { DemoGame } from './demoGame.ts';
import { YuvCanvas, textAdvance, textHeight, textWidth, yuv420FrameSize, yuvColor } from './yuvCanvas.ts';

const COLORS = {
  background: yuvColor(12, 16, 32),
  hud: yuvColor(26, 30, 52),
  line: yuvColor(48, 56, 92),
  text: yuvColor(232, 232, 240),
  dim: yuvColor(110, 116, 140),
  player: yuvColor(64, 200, 255),
  cpu: yuvColor(255, 96, 96),
  ball: yuvColor(255, 230, 120),
  flash: yuvColor(120, 255, 120),
} as const;

const TITLE = 'EDGEPLAY DEMO';

/** Stamp values must be whole non-negative milliseconds below 2^48; anything else reads as 0. */
export function stampValue(ms: number): number {
  const v = Math.floor(ms);
  return Number.isFinite(v) && v >= 0 && v < 2 ** 48 ? v : 0;
}

/**
 * `nowMs`: wall-clock time the frame is produced (row 0). `lastInputTs`:
 * client `ts` of the latest applied input, 0 when none (row 1).
 */
export function renderFrame(game: DemoGame, nowMs: number, lastInputTs: number): Buffer {
  const { width, height, layout: L } = game;
  const s = game.state;
  const frame = Buffer.allocUnsafe(yuv420FrameSize(width, height));
  const cv = new YuvCanvas(frame, width, height);

  cv.fill(COLORS.background);

  // Field: dashed centre line.
  const midY = Math.round((L.fieldTop + L.fieldBottom) / 2);
  const dash = Math.max(4, Math.round(width / 64));
  const lineH = Math.max(2, Math.round(height / 240));
  for (let x = dash / 2; x < width; x += dash * 2) cv.rect(x, midY - lineH / 2, dash, lineH, COLORS.line);

  // HUD: title left, score centre, input indicator right.
  cv.rect(0, L.hudTop, width, L.hudHeight, COLORS.hud);
  const small = Math.max(1, Math.floor(L.hudHeight / 16));
  const big = Math.max(1, Math.floor((L.hudHeight * 0.6) / 7));
  const pad = L.margin;
  const smallY = L.hudTop + (L.hudHeight - textHeight(small)) / 2;
  const bigY = L.hudTop + (L.hudHeight - textHeight(big)) / 2;
  cv.text(TITLE, pad, smallY, small, COLORS.text);

  const left = String(s.score.player);
  const sep = ' - ';
  const right = String(s.score.cpu);
  const scoreX = (width - textWidth(left + sep + right, big)) / 2;
  cv.text(left, scoreX, bigY, big, COLORS.player);
  cv.text(sep, scoreX + textAdvance(left, big), bigY, big, COLORS.text);
  cv.text(right, scoreX + textAdvance(left + sep, big), bigY, big, COLORS.cpu);

  const inputsLabel = `INPUTS ${s.inputs}`;
  const box = textHeight(small) + 2 * small;
  const labelX = width - pad - textWidth(inputsLabel, small);
  cv.text(inputsLabel, labelX, smallY, small, COLORS.text);
  cv.rect(labelX - box - 2 * small, L.hudTop + (L.hudHeight - box) / 2, box, box, s.flashMs > 0 ? COLORS.flash : COLORS.line);

  // Last key, bottom left of the field.
  if (s.lastKey) cv.text(`KEY ${s.lastKey}`, pad, L.fieldBottom - pad - textHeight(small), small, COLORS.dim);

  // Players and ball.
  cv.rect(s.cpu.x, s.cpu.y, s.cpu.w, s.cpu.h, COLORS.cpu);
  cv.rect(s.player.x, s.player.y, s.player.w, s.player.h, COLORS.player);
  cv.circle(s.ball.x, s.ball.y, s.ball.r, COLORS.ball);

  // Messages between points.
  const message = s.phase === 'serve' ? 'PRESS SPACE' : s.phase === 'over' ? (s.score.player > s.score.cpu ? 'YOU WIN!' : 'CPU WINS') : '';
  if (message) {
    const msgY = midY - textHeight(big) - 3 * big;
    cv.text(message, (width - textWidth(message, big)) / 2, msgY, big, COLORS.text);
    if (s.phase === 'over') {
      const again = 'PRESS SPACE TO PLAY AGAIN';
      cv.text(again, (width - textWidth(again, small)) / 2, midY + 3 * big, small, COLORS.dim);
    }
  }

  // Last, so nothing drawn above can cover it.
  writeStampYuv420(frame, width, height, stampValue(nowMs), stampValue(lastInputTs));
  return frame;
}
