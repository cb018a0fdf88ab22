/**
 * HTTP routes of the cloud phone: the telco API (telco API keys), the phone
 * app's API (subscriber access tokens) and the app page itself. Shapes are in
 * protocol/phone.ts; the logic is PhoneService's. Errors are thrown as
 * HttpError and turned into `{code, message}` by the broker app.
 */
import express, { type Request } from 'express';
import {
  CreateInstanceSchema,
  IssueTokenSchema,
  OpenInstanceSchema,
  PHONE_APP_PATH,
  ProvisionSubscriberSchema,
  SubscriberUpdateSchema,
} from '../../protocol/index.ts';
import { bearerToken } from '../../sessions/index.ts';
import type { ApiKeys } from './auth.ts';
import { unwrap } from './httpErrors.ts';
import type { PhoneService } from './phoneService.ts';
import { baseUrl, body } from './requestParts.ts';

export type PhoneRoutesOptions = {
  phone: PhoneService;
  telcos: ApiKeys;
  /** The app page and its bundle (client/phone). */
  appHtml: string;
  appJs: string;
  appCss: string;
};

export function createPhoneRoutes(o: PhoneRoutesOptions): express.Router {
  const r = express.Router();
  const subscriber = (req: Request) => unwrap(o.phone.authenticate(bearerToken(req.get('authorization'))));

  // ---- the app page ----
  r.get(PHONE_APP_PATH, (_req, res) => {
    // The token is in the fragment, which never reaches the server; nothing here is per-user.
    res.type('html').set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).send(o.appHtml);
  });
  r.get('/client/phone.js', (_req, res) => void res.type('application/javascript').set('Cache-Control', 'no-cache').send(o.appJs));
  r.get('/client/phone.css', (_req, res) => void res.type('text/css').set('Cache-Control', 'no-cache').send(o.appCss));

  // ---- telco API (Authorization: Bearer <telco key>) ----
  r.post('/api/telco/subscribers', (req, res) => {
    const telco = o.telcos.authenticate(req);
    res.status(201).json(unwrap(o.phone.provision(telco, body(req, ProvisionSubscriberSchema))));
  });
  r.get('/api/telco/subscribers', (req, res) => void res.json({ subscribers: o.phone.listSubscribers(o.telcos.authenticate(req)) }));
  r.get('/api/telco/subscribers/:id', (req, res) => void res.json(unwrap(o.phone.getSubscriber(o.telcos.authenticate(req), req.params.id))));
  r.patch(
    '/api/telco/subscribers/:id',
    (req, res) => void res.json(unwrap(o.phone.updateSubscriber(o.telcos.authenticate(req), req.params.id, body(req, SubscriberUpdateSchema)))),
  );
  r.delete('/api/telco/subscribers/:id', (req, res) => void res.json(unwrap(o.phone.removeSubscriber(o.telcos.authenticate(req), req.params.id))));
  r.post('/api/telco/subscribers/:id/tokens', (req, res) => {
    const telco = o.telcos.authenticate(req);
    res.status(201).json(unwrap(o.phone.issueToken(telco, req.params.id, body(req, IssueTokenSchema), baseUrl(req))));
  });

  // ---- phone app API (Authorization: Bearer <subscriber token>) ----
  r.get('/api/phone/instances', (req, res) => void res.set('Cache-Control', 'no-store').json(o.phone.home(subscriber(req))));
  r.post('/api/phone/instances', (req, res) => void res.status(201).json(unwrap(o.phone.create(subscriber(req), body(req, CreateInstanceSchema)))));
  r.post('/api/phone/instances/:id/open', (req, res) => {
    const sub = subscriber(req);
    res.json(unwrap(o.phone.open(sub, req.params.id, body(req, OpenInstanceSchema).location)));
  });
  r.post('/api/phone/instances/:id/stop', (req, res) => void res.json(unwrap(o.phone.stop(subscriber(req), req.params.id))));
  r.delete('/api/phone/instances/:id', (req, res) => void res.json(unwrap(o.phone.remove(subscriber(req), req.params.id))));
  return r;
}
