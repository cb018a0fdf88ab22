/**
 * The broker's HTTP side: landing and player pages, the placement API the
 * player page uses, the publisher API for demo links, and operator calls.
 * Built without listening; the entry point listens. Errors reach clients as
 * `{code, message}` (API) or a clear HTML page (page routes).
 */
import express, { type Request, type Response, type NextFunction } from 'express';
import type { Logger } from 'pino';
import {
  CreateDemoLinkSchema,
  DrainRequestSchema,
  ErrorCode,
  PlacementReportSchema,
  PlayRequestSchema,
  ResumeRequestSchema,
  WatchRequestSchema,
  isSessionId,
  isSlug,
  type ApiError,
  type CatalogTitle,
  type SpectatorGrant,
} from '../../protocol/index.ts';
import { findTitle } from '../../sessions/index.ts';
import type { FleetApi } from './fleetApi.ts';
import { HttpError, unwrap } from './httpErrors.ts';
import type { ApiKeys } from './auth.ts';
import { errorPage, landingPage } from './pages.ts';
import { baseUrl, body } from './requestParts.ts';

export type BrokerAppOptions = {
  catalog: readonly CatalogTitle[];
  /** Links shown on the landing page. */
  featuredLinks: ReadonlyArray<{ id: string; titleId: string }>;
  fleet: FleetApi;
  publishers: ApiKeys;
  operators: ApiKeys;
  playerHtml: string;
  playerJs: string;
  playerCss: string;
  /** More routes on the same app (the cloud phone's), before the API's 404. */
  routers?: express.Router[];
  logger: Logger;
};

const PAGE_TITLES: Record<string, string> = {
  'unknown-link': 'This demo link does not exist',
  'link-revoked': 'This demo link has been withdrawn',
  'link-expired': 'This demo link has expired',
  'link-used-up': 'This demo link has been used up',
};

type AsyncHandler = (req: Request, res: Response) => Promise<void> | void;
const route = (h: AsyncHandler) => (req: Request, res: Response, next: NextFunction) => {
  Promise.resolve(h(req, res)).catch(next);
};

export function createBrokerApp(o: BrokerAppOptions): express.Express {
  const app = express();
  const log = o.logger.child({ module: 'broker' });
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));

  app.get('/', (_req, res) => {
    const titles = o.featuredLinks.flatMap((l) => {
      const title = findTitle(o.catalog, l.titleId);
      return title ? [{ title, playUrl: `/play/${l.id}` }] : [];
    });
    res.type('html').send(landingPage(titles));
  });
  app.get('/api/catalog', (_req, res) => void res.json({ titles: o.catalog }));
  app.get('/client/player.js', (_req, res) => void res.type('application/javascript').set('Cache-Control', 'no-cache').send(o.playerJs));
  app.get('/client/player.css', (_req, res) => void res.type('text/css').set('Cache-Control', 'no-cache').send(o.playerCss));

  // ---- pages ----
  // Express 5 passes a rejected handler's error on to the error handler below.
  app.get('/play/:linkId', async (req, res) => {
    const check = isSlug(req.params.linkId) ? await o.fleet.checkLink(req.params.linkId) : ({ ok: false, code: 'unknown-link', message: '' } as const);
    if (!check.ok) {
      const err = new HttpError(check.code, check.message);
      res
        .status(err.status)
        .type('html')
        .send(
          errorPage({
            title: PAGE_TITLES[check.code] ?? 'This game cannot start',
            message: check.message || 'Check the link you were given, or pick a game from the list.',
            code: check.code,
          }),
        );
      return;
    }
    res.type('html').set('Cache-Control', 'no-store').send(o.playerHtml);
  });
  app.get('/watch/:sessionId', (req, res) => {
    const id = req.params.sessionId;
    if (!isSessionId(id)) {
      res
        .status(400)
        .type('html')
        .send(errorPage({ title: 'Not a session id', message: 'The address does not contain a valid session id.', code: ErrorCode.malformedSessionId }));
      return;
    }
    if (!o.fleet.hasSession(id)) {
      res
        .status(404)
        .type('html')
        .send(errorPage({ title: 'No such session', message: 'This session does not exist or has already ended.', code: ErrorCode.unknownSession }));
      return;
    }
    res.type('html').set('Cache-Control', 'no-store').send(o.playerHtml);
  });

  // ---- player API ----
  app.post('/api/play/:linkId', async (req, res) => {
    if (!isSlug(req.params.linkId)) throw new HttpError('unknown-link', 'This demo link does not exist.');
    const { location } = body(req, PlayRequestSchema);
    // req.ip: the socket's address, or the proxy's X-Forwarded-For when the operator sets express's trust proxy.
    res.json(unwrap(await o.fleet.offer(req.params.linkId, location, req.ip ?? 'unknown')));
  });
  app.post(
    '/api/placements/:placementId',
    route(async (req, res) => {
      const report = body(req, PlacementReportSchema);
      const placed = unwrap(await o.fleet.place(String(req.params.placementId).slice(0, 64), report));
      log.info({ sessionId: placed.sessionId, edgeId: placed.edgeId, basis: placed.placement.basis, reason: placed.placement.reason }, 'session placed');
      res.status(201).json(placed);
    }),
  );
  app.post('/api/sessions/:sessionId/resume', (req, res) => {
    if (!isSessionId(req.params.sessionId)) throw new HttpError('bad-request', 'resume needs a session id and its resumeToken');
    res.json(unwrap(o.fleet.resume(req.params.sessionId, body(req, ResumeRequestSchema).resumeToken)));
  });

  // ---- spectators: the player shares a grant; each spectator trades it for a viewer ticket ----
  app.post('/api/sessions/:sessionId/spectators', (req, res) => {
    if (!isSessionId(req.params.sessionId)) throw new HttpError('bad-request', 'a spectator link needs the session id and its resumeToken');
    const g = unwrap(o.fleet.spectatorGrant(req.params.sessionId, body(req, ResumeRequestSchema).resumeToken));
    const watchUrl = `${baseUrl(req)}/watch/${req.params.sessionId}#grant=${g.grant}`;
    res.status(201).json({ grant: g.grant, watchUrl, expiresAt: new Date(g.expiresAtMs).toISOString() } satisfies SpectatorGrant);
  });
  app.post('/api/sessions/:sessionId/watch', (req, res) => {
    if (!isSessionId(req.params.sessionId)) throw new HttpError('bad-request', 'not a session id');
    res.json(unwrap(o.fleet.watch(req.params.sessionId, body(req, WatchRequestSchema).grant)));
  });

  // ---- publisher API (Authorization: Bearer <publisher key>) ----
  app.post('/api/publisher/links', async (req, res) => {
    const pub = o.publishers.authenticate(req);
    const view = unwrap(await o.fleet.createLink(pub, body(req, CreateDemoLinkSchema), baseUrl(req)));
    log.info({ publisherId: pub, linkId: view.id, titleId: view.titleId }, 'demo link created');
    res.status(201).json(view);
  });
  app.get('/api/publisher/links', async (req, res) => void res.json({ links: await o.fleet.listLinks(o.publishers.authenticate(req), baseUrl(req)) }));
  app.get(
    '/api/publisher/links/:linkId',
    async (req, res) => void res.json(unwrap(await o.fleet.getLink(o.publishers.authenticate(req), req.params.linkId, baseUrl(req)))),
  );
  app.delete('/api/publisher/links/:linkId', async (req, res) => {
    const pub = o.publishers.authenticate(req);
    const view = unwrap(await o.fleet.revokeLink(pub, req.params.linkId, baseUrl(req)));
    log.info({ publisherId: pub, linkId: view.id }, 'demo link revoked');
    res.json(view);
  });
  app.get(
    '/api/publisher/links/:linkId/usage',
    async (req, res) => void res.json({ records: unwrap(await o.fleet.usageByLink(o.publishers.authenticate(req), req.params.linkId)) }),
  );
  app.get('/api/publisher/usage', async (req, res) => void res.json({ records: await o.fleet.usageByPublisher(o.publishers.authenticate(req)) }));

  // ---- operator API (Authorization: Bearer <operator key>) ----
  app.get('/api/operator/edges', (req, res) => {
    o.operators.authenticate(req);
    res.json({ edges: o.fleet.edges() });
  });
  app.post('/api/operator/edges/:edgeId/drain', (req, res) => {
    o.operators.authenticate(req);
    const { draining } = body(req, DrainRequestSchema);
    res.json(unwrap(o.fleet.drain(req.params.edgeId, draining)));
  });

  for (const router of o.routers ?? []) app.use(router);

  app.use('/api', (_req, res) => {
    res.status(404).json({ code: ErrorCode.notFound, message: 'No such API route.' } satisfies ApiError);
  });

  // The one place errors become HTTP responses.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpError) {
      if (err.retryAfterSeconds !== undefined) res.set('Retry-After', String(err.retryAfterSeconds));
      res.status(err.status).json(err.toJSON());
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
