/**
 * The broker's HTTP side: landing page, player pages, and the API that
 * starts a session. Built without listening; the entry point listens.
 * Every error reaching a client is `{code, message}` with a code from
 * protocol/errors.ts, or an HTML page for page routes.
 */
import express, { type Request, type Response, type NextFunction } from 'express';
import type { Logger } from 'pino';
import { v4 as uuidv4 } from 'uuid';
import { ErrorCode, isSessionId, isSlug, type ApiError, type StartSessionResponse } from '../../protocol/index.ts';
import { findTitle, type DemoLink } from '../../sessions/index.ts';
import type { CatalogTitle } from '../../protocol/index.ts';
import type { EdgeDirectory } from './edgeDirectory.ts';
import { errorPage, landingPage } from './pages.ts';

export type BrokerAppOptions = {
  catalog: readonly CatalogTitle[];
  links: readonly DemoLink[];
  edges: EdgeDirectory;
  /** The player page and its assets. */
  playerHtml: string;
  playerJs: string;
  playerCss: string;
  logger: Logger;
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
  }
}

export function createBrokerApp(o: BrokerAppOptions): express.Express {
  const app = express();
  const log = o.logger.child({ module: 'broker' });
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));

  const linkById = (id: string) => (isSlug(id) ? o.links.find((l) => l.id === id) : undefined);

  app.get('/', (_req, res) => {
    const titles = o.links.flatMap((l) => {
      const title = findTitle(o.catalog, l.titleId);
      return title ? [{ title, playUrl: `/play/${l.id}` }] : [];
    });
    res.type('html').send(landingPage(titles));
  });

  app.get('/api/catalog', (_req, res) => {
    res.json({ titles: o.catalog });
  });

  app.get('/client/player.js', (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'no-cache').send(o.playerJs);
  });
  app.get('/client/player.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'no-cache').send(o.playerCss);
  });

  app.get('/play/:linkId', (req, res) => {
    if (!linkById(req.params.linkId)) {
      res.status(404).type('html').send(errorPage({ title: 'This demo link does not exist', message: 'Check the link you were given, or pick a game from the list.', code: ErrorCode.unknownLink }));
      return;
    }
    res.type('html').set('Cache-Control', 'no-store').send(o.playerHtml);
  });

  app.get('/watch/:sessionId', (req, res) => {
    const id = req.params.sessionId;
    if (!isSessionId(id)) {
      res.status(400).type('html').send(errorPage({ title: 'Not a session id', message: 'The address does not contain a valid session id.', code: ErrorCode.malformedSessionId }));
      return;
    }
    if (!o.edges.hasSession(id)) {
      res.status(404).type('html').send(errorPage({ title: 'No such session', message: 'This session does not exist or has already ended.', code: ErrorCode.unknownSession }));
      return;
    }
    res.type('html').set('Cache-Control', 'no-store').send(o.playerHtml);
  });

  app.post('/api/play/:linkId', async (req, res, next) => {
    try {
      const link = linkById(req.params.linkId);
      if (!link) throw new HttpError(404, ErrorCode.unknownLink, 'This demo link does not exist.');
      const sessionId = uuidv4();
      const placed = await o.edges.prepare({ sessionId, titleId: link.titleId, playSeconds: link.playSeconds });
      if (!placed) throw new HttpError(503, ErrorCode.noCapacity, 'All game servers are busy. Please try again in a minute.');
      log.info({ sessionId, linkId: link.id, edgeId: placed.edgeId }, 'session placed');
      const body: StartSessionResponse = {
        sessionId,
        titleId: link.titleId,
        signalUrl: placed.signalUrl,
        edgeId: placed.edgeId,
        playSeconds: link.playSeconds,
        video: placed.video,
      };
      res.status(201).json(body);
    } catch (err) {
      next(err);
    }
  });

  app.use('/api', (_req, res) => {
    res.status(404).json({ code: ErrorCode.notFound, message: 'No such API route.' } satisfies ApiError);
  });

  // The one place errors become HTTP responses.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ code: err.code, message: err.message } satisfies ApiError);
      return;
    }
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      // body-parser: malformed JSON, too large, wrong charset…
      res.status(status).json({ code: ErrorCode.badRequest, message: (err as Error).message } satisfies ApiError);
      return;
    }
    log.error({ err: (err as Error).message, path: req.path }, 'request failed');
    res.status(500).json({ code: ErrorCode.internal, message: 'Something went wrong on our side.' } satisfies ApiError);
  });
  return app;
}
