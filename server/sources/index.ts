/** App sources: the built-in demo game, rendered in Node into raw yuv420p frames. */
export { DemoGame } from './demoGame.ts';
export type { Ball, Box, DemoGameOptions, DemoGameState, DemoLayout, DemoPhase } from './demoGame.ts';
export { DemoControls, keyLabel } from './demoControls.ts';
export type { DemoCommands } from './demoControls.ts';
export { YuvCanvas, textAdvance, textHeight, textWidth, yuv420FrameSize, yuvColor } from './yuvCanvas.ts';
export type { YuvColor } from './yuvCanvas.ts';
export { renderFrame } from './render.ts';
export { DemoGameSource } from './frameSource.ts';
export type { DemoGameSourceOptions, FrameHandler, FrameTimers } from './frameSource.ts';
export { createSource } from './catalogSources.ts';
export type { SourceVideo } from './catalogSources.ts';
