/**
 * The cloud-phone contract: the telco API (server to server, API key), the
 * phone app's API (the subscriber's access token), and what the broker tells
 * an edge when it starts an instance. Shared by browser, broker and edges.
 *
 * Telco API, `Authorization: Bearer <telco API key>`:
 *   POST   /api/telco/subscribers                  {subscriberId, maxInstances?} -> 201 SubscriberView
 *   GET    /api/telco/subscribers                  -> 200 {subscribers: SubscriberView[]}
 *   GET    /api/telco/subscribers/:id              -> 200 SubscriberView
 *   PATCH  /api/telco/subscribers/:id              {maxInstances} -> 200 SubscriberView
 *   DELETE /api/telco/subscribers/:id              -> 200 {subscriberId, instancesRemoved}
 *   POST   /api/telco/subscribers/:id/tokens       {ttlSeconds?} -> 201 SubscriberTokenView
 *
 * Phone app API, `Authorization: Bearer <subscriber access token>`:
 *   GET    /api/phone/instances                    -> 200 PhoneHome
 *   POST   /api/phone/instances                    {name} -> 201 InstanceView
 *   POST   /api/phone/instances/:id/open           {location?} -> 200 PlacementOffer
 *     then POST /api/placements/:placementId {rtts} -> 201 PlacedSession (fleet.ts), as for a game
 *   POST   /api/phone/instances/:id/stop           -> 200 InstanceView (data kept)
 *   DELETE /api/phone/instances/:id                -> 200 {instanceId} (data deleted)
 *
 * Errors are `{code, message}` (ApiError). Another subscriber's instance
 * answers exactly like an unknown one (404 unknown-instance).
 */
import { optional, refine, string, maxLength, unknown, type output } from 'zod/mini';
import { GeoPointSchema, int, object, slug, strictObject } from './wire.ts';

/** The catalog id an edge runs a phone instance under (not a public title: no demo link plays it). */
export const PHONE_TITLE_ID = 'cloud-phone';

/** Where an edge serves the phone shell (the "phone OS" pages its Chromium shows). */
export const PHONE_SHELL_PATH = '/phone-shell';

/**
 * The origin a phone's Chromium loads its shell from, mapped to the edge's own
 * HTTP server by a host-resolver rule. A phone's data (localStorage,
 * IndexedDB) belongs to the page's origin, port included: with the edge's
 * real address the data would seem gone whenever the edge's port changed.
 * A `.localhost` name is always loopback and, unlike other plain-http
 * origins, a secure context (user-agent client hints, crypto.randomUUID).
 */
export const PHONE_SHELL_ORIGIN = 'http://phone.edgeplay.localhost';

/** Where the app page lives; the token travels in the fragment (`/phone#token=...`), never in logs. */
export const PHONE_APP_PATH = '/phone';

export type SubscriberView = {
  subscriberId: string;
  maxInstances: number;
  createdAt: string;
  instances: InstanceView[];
};

export type SubscriberTokenView = {
  token: string;
  expiresAt: string;
  /** The phone app with this token in its fragment: what the telco's own app opens. */
  appUrl: string;
};

export type InstanceRunPhase = 'stopped' | 'starting' | 'running';

export type InstanceView = {
  instanceId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string;
  phase: InstanceRunPhase;
  /** The edge that holds the instance's data (after its first start). */
  edgeId?: string;
  /** Running: whether an app is connected to it now. */
  connected?: boolean;
  /** Stopped: why it last stopped (user, grace-expired, idle, failed...). */
  lastStopReason?: string;
};

/** GET /api/phone/instances */
export type PhoneHome = {
  subscriberId: string;
  maxInstances: number;
  instances: InstanceView[];
};

// ---- request bodies (the rules the broker checks; sessions/phone adds name and limit policy) ----

export const MIN_INSTANCES_PER_SUBSCRIBER = 1;
export const MAX_INSTANCES_PER_SUBSCRIBER = 20;
export const MIN_TOKEN_TTL_S = 60;
export const MAX_TOKEN_TTL_S = 30 * 86_400;

/** POST /api/telco/subscribers. Unknown keys are refused: a typo such as `maxInstance` would silently provision the default. */
export const ProvisionSubscriberSchema = strictObject({
  subscriberId: slug,
  /** Default 1; null is refused like any other wrong value. */
  maxInstances: optional(int(MIN_INSTANCES_PER_SUBSCRIBER, MAX_INSTANCES_PER_SUBSCRIBER)),
});
export type ProvisionSubscriberRequest = output<typeof ProvisionSubscriberSchema>;

/** PATCH /api/telco/subscribers/:id */
export const SubscriberUpdateSchema = strictObject({ maxInstances: int(MIN_INSTANCES_PER_SUBSCRIBER, MAX_INSTANCES_PER_SUBSCRIBER) });
export type SubscriberUpdateRequest = output<typeof SubscriberUpdateSchema>;

/** POST /api/telco/subscribers/:id/tokens */
export const IssueTokenSchema = object({ ttlSeconds: optional(int(MIN_TOKEN_TTL_S, MAX_TOKEN_TTL_S)) }, 'body must be a JSON object');

/** POST /api/phone/instances. The name's own rules (printable, 1..40 characters after NFC) are sessions/phone's. */
export const CreateInstanceSchema = object({ name: unknown() }, 'body must be a JSON object');
export type CreateInstanceRequest = { name: string };

/** POST /api/phone/instances/:id/open */
export const OpenInstanceSchema = object({ location: optional(GeoPointSchema) }, 'body must be a JSON object');
export type OpenInstanceRequest = output<typeof OpenInstanceSchema>;

/**
 * Sent with `prepare` (fleet.ts) when the session is a phone instance. Its
 * data dir must be exactly the one its ids name, `phones/<subscriberId>/<instanceId>`
 * relative to the edge's data directory: slugs only, no path tricks.
 */
export const PhonePrepareSchema = object(
  {
    subscriberId: slug,
    instanceId: slug,
    dataDir: string(),
    /** The instance's display name, shown in the phone's status bar. */
    name: optional(string().check(maxLength(160))),
  },
  'must be {subscriberId, instanceId, dataDir}',
).check(refine((p) => p.dataDir === `phones/${p.subscriberId}/${p.instanceId}`, { error: 'must be phones/<subscriberId>/<instanceId>', path: ['dataDir'] }));
export type PhonePrepare = output<typeof PhonePrepareSchema>;
