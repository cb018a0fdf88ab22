/**
 * The fleet as pure logic: edge registry, placement, slot reservations,
 * the broker's session records (sessionMachine),
 * demo links and publishers, tickets and resume tokens, usage records.
 * No I/O and no timers: time comes from an injected clock or a `now`
 * argument, so broker and edges wire it and tests drive it.
 */
export { FleetCode, type Refusal } from './errors.ts';
export * from './geo.ts';
export * from './edgeValidation.ts';
export * from './edgeRegistry.ts';
export * from './placement.ts';
export * from './reservations.ts';
export * from './demoLinks.ts';
export * from './tickets.ts';
export * from './usage.ts';
export * from './pendingPlacements.ts';
export * from './sessionMachine.ts';
export * from './turnCredentials.ts';
