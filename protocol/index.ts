export * from './input.ts';
export * from './errors.ts';
export * from './ids.ts';
export * from './signalling.ts';
export * from './api.ts';
export * from './latencyStamp.ts';
export * from './fleet.ts';
export * from './fleetMessages.ts';
