/** Small readings of an express request shared by the broker's routers. */
import type { Request } from 'express';

/** The origin the client used, for links the broker hands out. */
export const baseUrl = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** The parsed JSON body when it is an object; `{}` otherwise (validators then say what is missing). */
export const jsonBody = (req: Request): Record<string, unknown> =>
  req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
