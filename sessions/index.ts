export * from './sessionState.ts';
export * from './catalog.ts';
