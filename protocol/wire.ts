/**
 * The building blocks of every wire schema (zod), and the one way a schema is
 * applied to outside input. Each wire's schema lives next to its types in
 * protocol/ and is used by both ends, so a rule is written once.
 *
 * zod/mini with named imports, not `import { z } from 'zod'`: the browser
 * bundles these schemas too, and the namespace import pulls in all of zod
 * (~800 kB unminified against ~45 kB).
 */
import {
  int as zInt,
  maxLength,
  maximum,
  minLength,
  minimum,
  number,
  object as zObject,
  pipe,
  refine,
  strictObject as zStrictObject,
  string,
  superRefine,
  transform,
  type ZodMiniType,
  type output,
  type core,
} from 'zod/mini';
import { isSessionId, isSlug } from './ids.ts';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A short printable form of a bad value for error messages (never echoes more than 40 characters). */
export const show = (v: unknown): string => {
  let s: string;
  try {
    s = typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function' ? String(v) : String((JSON.stringify(v) as string | undefined) ?? v); // undefined for undefined;
  } catch {
    s = Object.prototype.toString.call(v); // cyclic objects
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

/** A plain object (not an array, not null); `message` is what a wrong value is told. */
export const object = <S extends core.$ZodLooseShape>(shape: S, message = 'must be an object') => zObject(shape, { error: message });
/** Like `object`, but unknown keys are refused: a typo such as `maxPlay` must not silently mean "the default". */
export const strictObject = <S extends core.$ZodLooseShape>(shape: S) =>
  zStrictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `unknown field ${show(iss.keys[0])}; allowed: ${Object.keys(shape).join(', ')}` : 'body must be a JSON object',
  });

/** An integer in min..max (every count on the wire). */
export const int = (min: number, max: number) => {
  const error = `must be an integer in ${min}..${max}`;
  return zInt({ error }).check(minimum(min, { error }), maximum(max, { error }));
};
/** A finite number in min..max. */
export const num = (min: number, max: number) => {
  const error = `must be a number in ${min}..${max}`;
  return number({ error }).check(minimum(min, { error }), maximum(max, { error }));
};
/** A string of 1..max characters. */
export const text = (max: number) => {
  const error = `must be a string of 1..${max} characters`;
  return string({ error }).check(minLength(1, { error }), maxLength(max, { error }));
};
/** Any string, cut to `max` characters: for human-readable messages that must not make a whole message invalid. */
export const clipped = (max: number) =>
  pipe(
    string(),
    transform((s: string) => s.slice(0, max)),
  );
/** 1..64 of [A-Za-z0-9_-]: link, title, edge, subscriber and instance ids, regions. */
const SLUG_ERROR = 'must be 1..64 of [A-Za-z0-9_-]';
export const slug = string({ error: SLUG_ERROR }).check(refine(isSlug, { error: SLUG_ERROR }));
/** A UUID v4. */
export const sessionId = string({ error: 'must be a session id' }).check(refine(isSessionId, { error: 'must be a session id' }));

/** An absolute http(s) URL of at most 2048 characters. */
const URL_ERROR = 'must be a URL string of at most 2048 characters';
export const httpUrl = string({ error: URL_ERROR }).check(
  maxLength(2048, { error: URL_ERROR }),
  superRefine((v: string, ctx) => {
    let protocol: string;
    try {
      protocol = new URL(v).protocol;
    } catch {
      return ctx.addIssue({ code: 'custom', message: 'is not a URL', input: v });
    }
    if (protocol !== 'http:' && protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must be http or https', input: v });
  }),
);

export const GeoPointSchema = object({ lat: num(-90, 90), lon: num(-180, 180) }, 'must be {lat: -90..90, lon: -180..180}');
export type GeoPoint = output<typeof GeoPointSchema>;

/** The first problem, said as "<field> <what is wrong> (got <value>)". */
function describe(error: core.$ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const field = issue.path.map(String).join('.');
  const got = 'input' in issue && (issue.input === null || typeof issue.input !== 'object') ? ` (got ${show(issue.input)})` : '';
  return `${field ? `${field} ` : ''}${issue.message}${got}`;
}

/** Checks an already-parsed value (an HTTP body). Never throws. */
export function check<S extends ZodMiniType>(schema: S, value: unknown): ParseResult<output<S>> {
  const r = schema.safeParse(value, { reportInput: true });
  return r.success ? { ok: true, value: r.data } : { ok: false, error: describe(r.error) };
}

/** Parses and checks one JSON text message (a WebSocket message) of at most `maxChars`. Never throws. */
export function parseJsonMessage<S extends ZodMiniType>(schema: S, raw: string, maxChars: number): ParseResult<output<S>> {
  if (raw.length > maxChars) return { ok: false, error: 'message too large' };
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'not an object' };
  return check(schema, v);
}
