/** Bearer API keys on express requests (publishers, operators); 401 otherwise. */
import type { Request } from 'express';
import { PublisherDirectory, bearerToken } from '../../sessions/index.ts';
import { HttpError } from './httpErrors.ts';

export class ApiKeys {
  private readonly directory: PublisherDirectory;
  constructor(pairs: ReadonlyArray<{ owner: string; key: string }>) {
    this.directory = new PublisherDirectory(pairs.map((p) => ({ apiKey: p.key, publisherId: p.owner })));
  }

  /** The owner of the request's bearer key; throws 401 otherwise. */
  authenticate(req: Request): string {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw new HttpError('unauthorized', 'Send your API key as "Authorization: Bearer <key>".');
    const owner = this.directory.authenticate(token);
    if (!owner) throw new HttpError('unauthorized', 'That API key is not valid.');
    return owner;
  }
}
