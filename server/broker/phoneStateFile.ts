/**
 * The broker's phone registry on disk: subscribers and their instances (the
 * personas whose data lives on edges), so a broker restart does not orphan
 * every phone. One JSON file, rewritten atomically (temp file + rename) on
 * each change; the stores stay synchronous, as the check-then-put rules of
 * sessions/phone need. Also keeps the subscriber-token key, so issued tokens
 * survive a restart too.
 *
 * For one broker. Several brokers need the store interfaces backed by a
 * shared database instead (docs/operations.md).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { isSlug } from '../../protocol/index.ts';
import {
  InMemoryInstanceStore,
  InMemorySubscriberStore,
  type InstanceStore,
  type PhoneInstance,
  type SubscriberRecord,
  type SubscriberStore,
} from '../../sessions/index.ts';

type StateFile = { version: 1; subscribers: SubscriberRecord[]; instances: PhoneInstance[] };

export class PhoneStateFile {
  readonly subscribers: SubscriberStore;
  readonly instances: InstanceStore;
  private readonly subs = new Map<string, SubscriberRecord>();
  private readonly insts = new Map<string, PhoneInstance>();
  private readonly file: string;

  constructor(
    private readonly dir: string,
    private readonly log: Logger,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = path.join(dir, 'phone-state.json');
    const memSubs = new InMemorySubscriberStore();
    const memInsts = new InMemoryInstanceStore();
    const saved = this.load();
    for (const s of saved.subscribers) {
      memSubs.put(s);
      this.subs.set(s.subscriberId, s);
    }
    for (const i of saved.instances) {
      if (!this.subs.has(i.subscriberId)) continue;
      memInsts.put(i);
      this.insts.set(i.instanceId, i);
    }
    this.subscribers = {
      get: (id) => memSubs.get(id),
      listByTelco: (telcoId) => memSubs.listByTelco(telcoId),
      put: (s) => {
        memSubs.put(s);
        this.subs.set(s.subscriberId, s);
        this.save();
      },
      remove: (id) => {
        const removed = memSubs.remove(id);
        if (removed) {
          this.subs.delete(id);
          this.save();
        }
        return removed;
      },
    };
    this.instances = {
      get: (id) => memInsts.get(id),
      listBySubscriber: (id) => memInsts.listBySubscriber(id),
      put: (i) => {
        memInsts.put(i);
        this.insts.set(i.instanceId, i);
        this.save();
      },
      remove: (id) => {
        const removed = memInsts.remove(id);
        if (removed) {
          this.insts.delete(id);
          this.save();
        }
        return removed;
      },
    };
    this.log.info({ file: this.file, subscribers: this.subs.size, instances: this.insts.size }, 'phone registry loaded');
  }

  /** The key subscriber tokens are signed with: made once, then kept beside the registry. */
  tokenKey(): string {
    const keyFile = path.join(this.dir, 'subscriber-token.key');
    if (existsSync(keyFile)) {
      const key = readFileSync(keyFile, 'utf8').trim();
      if (key.length >= 16) return key;
    }
    const key = randomBytes(32).toString('base64url');
    writeFileSync(keyFile, key, { mode: 0o600 });
    return key;
  }

  private load(): StateFile {
    if (!existsSync(this.file)) return { version: 1, subscribers: [], instances: [] };
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<StateFile>;
      const subscribers = (Array.isArray(v.subscribers) ? v.subscribers : []).filter(validSubscriber);
      const instances = (Array.isArray(v.instances) ? v.instances : []).filter(validInstance);
      return { version: 1, subscribers: subscribers.map((s) => Object.freeze(s)), instances: instances.map((i) => Object.freeze(i)) };
    } catch (err) {
      // Never start over silently on top of a file we could not read: keep it for an operator.
      const aside = `${this.file}.unreadable-${Date.now()}`;
      renameSync(this.file, aside);
      this.log.error({ file: this.file, movedTo: aside, err: (err as Error).message }, 'phone registry unreadable; starting empty, the old file is kept');
      return { version: 1, subscribers: [], instances: [] };
    }
  }

  private save(): void {
    const state: StateFile = { version: 1, subscribers: [...this.subs.values()], instances: [...this.insts.values()] };
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

const validSubscriber = (s: unknown): s is SubscriberRecord => {
  const r = s as SubscriberRecord;
  return (
    typeof s === 'object' &&
    s !== null &&
    isSlug(r.subscriberId) &&
    typeof r.telcoId === 'string' &&
    Number.isInteger(r.maxInstances) &&
    Number.isFinite(r.createdAtMs)
  );
};

const validInstance = (i: unknown): i is PhoneInstance => {
  const r = i as PhoneInstance;
  return (
    typeof i === 'object' &&
    i !== null &&
    isSlug(r.instanceId) &&
    isSlug(r.subscriberId) &&
    typeof r.name === 'string' &&
    r.dataDir === `phones/${r.subscriberId}/${r.instanceId}` &&
    (r.edgeId === undefined || typeof r.edgeId === 'string') &&
    Number.isFinite(r.createdAtMs) &&
    Number.isFinite(r.lastUsedAtMs)
  );
};
