export * from './sessionState.ts';
export * from './catalog.ts';
export * from './fleet/index.ts';
export * from './phone/index.ts';
