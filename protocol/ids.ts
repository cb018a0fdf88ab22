/** Session ids are UUID v4 strings (uuid package on the server). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const isSessionId = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/** Link ids and catalog title ids: short URL-safe slugs. */
const SLUG = /^[A-Za-z0-9_-]{1,64}$/;
export const isSlug = (v: unknown): v is string => typeof v === 'string' && SLUG.test(v);
