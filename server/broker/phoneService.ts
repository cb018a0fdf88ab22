/**
 * The broker's cloud phone, wired: telco-provisioned subscribers, their
 * instances (personas), access tokens, and each instance's run state as the
 * fleet reports it. The pure rules are in sessions/phone; placement is the
 * fleet's (FleetBroker), with the instance's data edge preferred.
 *
 * One running session per instance fleet-wide: opening a running instance
 * reconnects to it (a fresh ticket to the same edge, so the screen is as it
 * was); opening a stopped one starts it from its data.
 */
import type { Logger } from 'pino';
import {
  PHONE_APP_PATH,
  type CreateInstanceRequest,
  type ErrorCode,
  type ProvisionSubscriberRequest,
  type SubscriberUpdateRequest,
  type GeoPoint,
  type InstanceView,
  type PhoneHome,
  type PhonePrepare,
  type PlacementOffer,
  type SubscriberTokenView,
  type SubscriberView,
} from '../../protocol/index.ts';
import {
  InMemoryInstanceStore,
  InMemorySubscriberStore,
  createInstance,
  getOwnedInstance,
  instanceUsed,
  issueSubscriberToken,
  provisionSubscriber,
  removeInstance,
  removeSubscriber,
  subscriberOfTelco,
  updateSubscriber,
  subscriberSpec,
  verifySubscriberToken,
  type InstanceStore,
  type PhoneInstance,
  type SubscriberRecord,
  type SubscriberStore,
} from '../../sessions/index.ts';
import type { FleetBroker } from './fleetBroker.ts';
import type { Result } from './httpErrors.ts';

export type PhoneServiceOptions = {
  fleet: FleetBroker;
  /** Signs subscriber access tokens. */
  tokenKey: string;
  logger: Logger;
  subscribers?: SubscriberStore;
  instances?: InstanceStore;
  now?: () => number;
};

/** Where each instance runs now, and why it last stopped. */
type RunRecord = { sessionId: string; edgeId?: string; startedAtMs: number };

export class PhoneService {
  private readonly subscribers: SubscriberStore;
  private readonly instances: InstanceStore;
  private readonly running = new Map<string, RunRecord>();
  private readonly lastStop = new Map<string, string>();
  /** Every edge that has held an instance's data (a move leaves a copy behind): all are cleaned on removal. */
  private readonly dataEdges = new Map<string, Set<string>>();
  /** Instances stopped while their start was still being placed: stopped as soon as they land. */
  private readonly stopWhenPlaced = new Set<string>();
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly o: PhoneServiceOptions) {
    this.subscribers = o.subscribers ?? new InMemorySubscriberStore();
    this.instances = o.instances ?? new InMemoryInstanceStore();
    this.now = o.now ?? Date.now;
    this.log = o.logger.child({ module: 'phone' });
    o.fleet.phoneEvents = {
      placed: (s, edgeId, dataMove) => {
        const inst = this.instances.get(s.phone.instanceId);
        this.noteDataEdge(s.phone.instanceId, edgeId);
        if (!inst || this.stopWhenPlaced.delete(s.phone.instanceId)) {
          // Removed or stopped while it was starting: undo the start (and the data it created, if removed).
          this.o.fleet.stopSession(s.sessionId, 'stopped');
          if (!inst) this.o.fleet.deletePhoneData(edgeId, s.phone);
          this.log.info({ instanceId: s.phone.instanceId, sessionId: s.sessionId, removed: !inst }, 'phone instance stopped as it started');
          return;
        }
        this.instances.put(instanceUsed(inst, edgeId, this.now()));
        this.running.set(s.phone.instanceId, { sessionId: s.sessionId, edgeId, startedAtMs: this.running.get(s.phone.instanceId)?.startedAtMs ?? this.now() });
        this.lastStop.delete(s.phone.instanceId);
        if (dataMove) {
          // No copy between edges yet: the instance starts from what the new edge has (docs/phone.md).
          this.log.warn({ instanceId: s.phone.instanceId, sessionId: s.sessionId, ...dataMove }, 'phone instance placed away from its data');
        }
        this.log.info({ instanceId: s.phone.instanceId, sessionId: s.sessionId, edgeId }, 'phone instance running');
      },
      ended: (s, reason) => {
        const run = this.running.get(s.phone.instanceId);
        if (run?.sessionId !== s.sessionId) return;
        this.running.delete(s.phone.instanceId);
        this.lastStop.set(s.phone.instanceId, reason);
        this.log.info({ instanceId: s.phone.instanceId, sessionId: s.sessionId, reason }, 'phone instance stopped');
      },
    };
  }

  // ---- telco API ----

  provision(telcoId: string, req: ProvisionSubscriberRequest): Result<SubscriberView> {
    const r = provisionSubscriber(this.subscribers, telcoId, subscriberSpec(req), this.now());
    if (!r.ok) return fail(r);
    this.log.info({ telcoId, subscriberId: r.subscriber.subscriberId, maxInstances: r.subscriber.maxInstances }, 'subscriber provisioned');
    return { ok: true, value: this.subscriberView(r.subscriber) };
  }

  listSubscribers(telcoId: string): SubscriberView[] {
    return this.subscribers.listByTelco(telcoId).map((s) => this.subscriberView(s));
  }

  getSubscriber(telcoId: string, subscriberId: unknown): Result<SubscriberView> {
    const r = subscriberOfTelco(this.subscribers, telcoId, subscriberId);
    return r.ok ? { ok: true, value: this.subscriberView(r.subscriber) } : fail(r);
  }

  updateSubscriber(telcoId: string, subscriberId: unknown, update: SubscriberUpdateRequest): Result<SubscriberView> {
    const r = updateSubscriber(this.subscribers, telcoId, subscriberId, update);
    if (!r.ok) return fail(r);
    this.log.info({ telcoId, subscriberId: r.subscriber.subscriberId, maxInstances: r.subscriber.maxInstances }, 'subscriber limit set');
    return { ok: true, value: this.subscriberView(r.subscriber) };
  }

  /** Removes the subscriber: stops its running instances and deletes their data on their edges. */
  removeSubscriber(telcoId: string, subscriberId: unknown): Result<{ subscriberId: string; instancesRemoved: number }> {
    const r = removeSubscriber(this.subscribers, this.instances, telcoId, subscriberId);
    if (!r.ok) return fail(r);
    for (const inst of r.instances) this.discard(inst);
    this.log.info({ telcoId, subscriberId: r.subscriber.subscriberId, instances: r.instances.length }, 'subscriber removed');
    return { ok: true, value: { subscriberId: r.subscriber.subscriberId, instancesRemoved: r.instances.length } };
  }

  /** `ttlSeconds` is checked on the wire (protocol/phone.ts IssueTokenSchema). */
  issueToken(telcoId: string, subscriberId: unknown, { ttlSeconds: ttl }: { ttlSeconds?: number }, baseUrl: string): Result<SubscriberTokenView> {
    const r = subscriberOfTelco(this.subscribers, telcoId, subscriberId);
    if (!r.ok) return fail(r);
    const now = this.now();
    const ttlMs = ttl === undefined ? undefined : ttl * 1000;
    const token = issueSubscriberToken(this.o.tokenKey, r.subscriber, { now, ...(ttlMs !== undefined ? { ttlMs } : {}) });
    const claims = verifySubscriberToken(this.o.tokenKey, token, { now });
    const expiresAtMs = claims.ok ? claims.claims.expiresAtMs : now;
    return {
      ok: true,
      value: { token, expiresAt: new Date(expiresAtMs).toISOString(), appUrl: `${baseUrl}${PHONE_APP_PATH}#token=${encodeURIComponent(token)}` },
    };
  }

  // ---- phone app API (the subscriber's token) ----

  /** The subscriber a token opens, or why not. */
  authenticate(token: string | undefined): Result<SubscriberRecord> {
    if (!token) return { ok: false, code: 'unauthorized', message: 'Open the phone app from your operator: it needs an access token.' };
    const v = verifySubscriberToken(this.o.tokenKey, token, { now: this.now(), lookup: (id) => this.subscribers.get(id) });
    if (!v.ok) return { ok: false, code: v.code === 'token-expired' ? 'token-expired' : 'unauthorized', message: v.error };
    const s = this.subscribers.get(v.claims.subscriberId);
    return s ? { ok: true, value: s } : { ok: false, code: 'unauthorized', message: 'The subscriber of this access token no longer exists.' };
  }

  home(sub: SubscriberRecord): PhoneHome {
    return { subscriberId: sub.subscriberId, maxInstances: sub.maxInstances, instances: this.instanceViews(sub.subscriberId) };
  }

  create(sub: SubscriberRecord, req: { name: unknown }): Result<InstanceView> {
    const r = createInstance(this.instances, sub, req.name, this.now());
    if (!r.ok) return fail(r);
    this.log.info({ subscriberId: sub.subscriberId, instanceId: r.instance.instanceId }, 'phone instance created');
    return { ok: true, value: this.instanceView(r.instance) };
  }

  /** Starts the instance (from its data), or reconnects to it where it runs. */
  open(sub: SubscriberRecord, instanceId: unknown, location: GeoPoint | undefined): Result<PlacementOffer> {
    const r = getOwnedInstance(this.instances, sub.subscriberId, instanceId);
    if (!r.ok) return fail(r);
    const inst = r.instance;
    const run = this.running.get(inst.instanceId);
    if (run) {
      const offer = this.o.fleet.reopen(run.sessionId, location);
      if (offer.ok || offer.code !== 'session-ended') return offer;
      this.running.delete(inst.instanceId); // ended without us hearing (e.g. edge lost): start it again
    }
    return this.o.fleet.offerPhone(prepareOf(inst), inst.edgeId, location);
  }

  stop(sub: SubscriberRecord, instanceId: unknown): Result<InstanceView> {
    const r = getOwnedInstance(this.instances, sub.subscriberId, instanceId);
    if (!r.ok) return fail(r);
    const run = this.running.get(r.instance.instanceId);
    if (!run && this.o.fleet.liveSessionOfInstance(r.instance.instanceId)) this.stopWhenPlaced.add(r.instance.instanceId);
    if (run) {
      if (!this.o.fleet.stopSession(run.sessionId, 'stopped')) {
        return { ok: false, code: 'busy', message: "This phone's server cannot be reached right now; try again in a moment." };
      }
      // The edge confirms with session-ended; the view says stopped now, as the user asked.
      this.running.delete(r.instance.instanceId);
      this.lastStop.set(r.instance.instanceId, 'user');
      this.log.info({ instanceId: r.instance.instanceId, sessionId: run.sessionId }, 'phone instance stop requested');
    }
    return { ok: true, value: this.instanceView(r.instance) };
  }

  remove(sub: SubscriberRecord, instanceId: unknown): Result<{ instanceId: string }> {
    const r = removeInstance(this.instances, sub.subscriberId, instanceId);
    if (!r.ok) return fail(r);
    this.discard(r.instance);
    this.log.info({ subscriberId: sub.subscriberId, instanceId: r.instance.instanceId }, 'phone instance removed');
    return { ok: true, value: { instanceId: r.instance.instanceId } };
  }

  /** A removed instance: stop it if it runs and delete its data where it lives. */
  private discard(inst: PhoneInstance): void {
    const run = this.running.get(inst.instanceId);
    this.running.delete(inst.instanceId);
    this.lastStop.delete(inst.instanceId);
    this.stopWhenPlaced.delete(inst.instanceId);
    const edges = this.dataEdges.get(inst.instanceId) ?? new Set(inst.edgeId ? [inst.edgeId] : []);
    this.dataEdges.delete(inst.instanceId);
    // Each edge stops the instance itself if it runs there, then deletes its data.
    if (run?.edgeId && !edges.has(run.edgeId)) this.o.fleet.stopSession(run.sessionId, 'stopped');
    for (const edgeId of edges) {
      if (!this.o.fleet.deletePhoneData(edgeId, prepareOf(inst))) {
        this.log.warn({ instanceId: inst.instanceId, edgeId }, 'data edge not connected: its copy of a removed instance stays until an operator cleans it up');
      }
    }
  }

  private noteDataEdge(instanceId: string, edgeId: string): void {
    let edges = this.dataEdges.get(instanceId);
    if (!edges) this.dataEdges.set(instanceId, (edges = new Set()));
    edges.add(edgeId);
  }

  // ---- views ----

  private subscriberView(s: SubscriberRecord): SubscriberView {
    return { subscriberId: s.subscriberId, maxInstances: s.maxInstances, createdAt: iso(s.createdAtMs), instances: this.instanceViews(s.subscriberId) };
  }

  private instanceViews(subscriberId: string): InstanceView[] {
    return this.instances.listBySubscriber(subscriberId).map((i) => this.instanceView(i));
  }

  private instanceView(i: PhoneInstance): InstanceView {
    const run = this.running.get(i.instanceId);
    const status = run ? this.o.fleet.sessionStatus(run.sessionId) : undefined;
    const phase = !run ? 'stopped' : status?.status === 'running' ? 'running' : 'starting';
    const lastStop = this.lastStop.get(i.instanceId);
    return {
      instanceId: i.instanceId,
      name: i.name,
      createdAt: iso(i.createdAtMs),
      lastUsedAt: iso(i.lastUsedAtMs),
      phase,
      ...(i.edgeId ? { edgeId: i.edgeId } : {}),
      ...(phase === 'running' ? { connected: status?.playerConnected === true } : {}),
      ...(phase === 'stopped' && lastStop ? { lastStopReason: lastStop } : {}),
    };
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function prepareOf(i: PhoneInstance): PhonePrepare {
  return { subscriberId: i.subscriberId, instanceId: i.instanceId, dataDir: i.dataDir, name: i.name };
}

function fail(r: { code: ErrorCode; error: string }): { ok: false; code: ErrorCode; message: string } {
  return { ok: false, code: r.code, message: r.error };
}
