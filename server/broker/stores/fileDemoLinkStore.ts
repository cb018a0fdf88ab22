/**
 * Demo links durable on the broker's data dir (the embedded default of
 * issue 11): the in-memory store, with every change written to one JSON
 * file atomically (temp file + rename, like phoneStateFile.ts) and loaded at
 * start, so a restart loses no link and no play count. One broker only;
 * a record that does not parse is logged and skipped. Not yet wired into server/stack.ts.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { isSlug } from '../../../protocol/index.ts';
import { InMemoryDemoLinkStore, type DemoLinkRecord } from '../../../sessions/index.ts';

export class FileDemoLinkStore extends InMemoryDemoLinkStore {
  private readonly file: string;
  private loading = true;

  constructor(
    dir: string,
    private readonly log: Logger,
  ) {
    super();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = path.join(dir, 'demo-links.json');
    for (const link of this.load()) this.set(link);
    this.loading = false;
  }

  protected override set(link: DemoLinkRecord): void {
    super.set(link);
    if (!this.loading) this.save();
  }

  private load(): DemoLinkRecord[] {
    if (!existsSync(this.file)) return [];
    let saved: unknown;
    try {
      saved = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (err) {
      const aside = `${this.file}.unreadable-${Date.now()}`;
      renameSync(this.file, aside);
      this.log.error({ file: this.file, movedTo: aside, err: (err as Error).message }, 'demo links unreadable; starting empty, the old file is kept');
      return [];
    }
    const links = Array.isArray(saved) ? saved : [];
    const good = links.filter(validLink);
    if (good.length !== links.length) this.log.warn({ file: this.file, skipped: links.length - good.length }, 'demo link records skipped: not valid');
    return good.map((l) => Object.freeze(l));
  }

  private save(): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify([...this.links.values()]), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

const validLink = (l: unknown): l is DemoLinkRecord => {
  const r = l as DemoLinkRecord;
  return (
    typeof l === 'object' &&
    l !== null &&
    isSlug(r.id) &&
    typeof r.publisherId === 'string' &&
    typeof r.titleId === 'string' &&
    Number.isFinite(r.playSeconds) &&
    Number.isInteger(r.plays) &&
    typeof r.revoked === 'boolean' &&
    Number.isFinite(r.createdAtMs)
  );
};
