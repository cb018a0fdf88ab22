/**
 * `npm run bench:source`: what drawing one frame costs each built-in title,
 * at 1280x720 (SOURCE_SIZE=WxH to change): ms per frame, and the share of
 * one core that takes at 30 and 60 fps. The texture is built before timing
 * (once per size, shared by every session). Figures, not assertions.
 */
import { DemoGame } from '../../server/sources/demoGame.ts';
import { renderFrame } from '../../server/sources/render.ts';
import { MotionScene } from '../../server/sources/motionBench/scene.ts';

const [width, height] = (process.env.SOURCE_SIZE ?? '1280x720').split('x').map(Number) as [number, number];
const FRAMES = 600;

function measure(render: (i: number) => Buffer): { msPerFrame: number; coreAt30: number; coreAt60: number } {
  for (let i = 0; i < 30; i++) render(i); // warm up the JIT
  const t0 = process.cpuUsage();
  for (let i = 0; i < FRAMES; i++) render(i);
  const used = process.cpuUsage(t0);
  const ms = (used.user + used.system) / 1000 / FRAMES;
  return { msPerFrame: Math.round(ms * 1000) / 1000, coreAt30: Math.round(ms * 30 * 10) / 100, coreAt60: Math.round(ms * 60 * 10) / 100 };
}

const now = Date.now();
const game = new DemoGame({ width, height, seed: 1 });
const results = {
  size: `${width}x${height}`,
  frames: FRAMES,
  'paddle-demo': measure((i) => {
    game.step(1000 / 60);
    return renderFrame(game, now + i, 0);
  }),
  'motion-bench': ((s) => measure((i) => s.render(now + i, 0)))(new MotionScene({ width, height, mode: 'parity', seed: 1 })),
  'motion-bench-heavy': ((s) => measure((i) => s.render(now + i, 0)))(new MotionScene({ width, height, mode: 'heavy', seed: 1 })),
};
console.log(JSON.stringify(results));
console.log('(coreAt30/coreAt60: percent of one core spent drawing frames at that rate)');
