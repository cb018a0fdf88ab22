/**
 * The cloud phone as pure logic: telco subscribers, their named instances
 * (personas) and data directories, subscriber access tokens, the life of a
 * running instance, and where an instance runs. No I/O and no timers.
 */
export { PhoneCode } from './errors.ts';
export * from './subscribers.ts';
export * from './instances.ts';
export * from './subscriberTokens.ts';
export * from './instanceLifecycle.ts';
export * from './instancePlacement.ts';
