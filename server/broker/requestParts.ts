/** Small readings of an express request shared by the broker's routers. */
import type { Request } from 'express';
import type { ZodMiniType, output } from 'zod/mini';
import { check } from '../../protocol/index.ts';
import { HttpError } from './httpErrors.ts';

/** The origin the client used, for links the broker hands out. */
export const baseUrl = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** The JSON body checked against its protocol/ schema (no body reads as `{}`); a 400 bad-request saying what is wrong otherwise. */
export function body<S extends ZodMiniType>(req: Request, schema: S): output<S> {
  const r = check(schema, req.body ?? {});
  if (!r.ok) throw new HttpError('bad-request', r.error);
  return r.value;
}
