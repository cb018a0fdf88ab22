/**
 * The edge's side of a start, from the server's own log (pino JSON lines,
 * one per lifecycle change): when the edge had the session prepared
 * ("session ready": encoder up, capture starting) and when the phone ran
 * ("phone running": Chromium's DevTools up, the shell page attached and
 * made a phone), with the source's own split (first captured frame,
 * DevTools, attached; ms since the source started).
 */
export type LogLine = { t: number; msg: string; fields: Record<string, unknown> };

export function parseLog(output: string): LogLine[] {
  const out: LogLine[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      const t = typeof o.time === 'string' ? Date.parse(o.time) : typeof o.time === 'number' ? o.time : NaN;
      if (typeof o.msg === 'string' && Number.isFinite(t)) out.push({ t, msg: o.msg, fields: o });
    } catch {
      /* not a log line */
    }
  }
  return out;
}

export type EdgeStart = {
  /** Date.now() of the lines. */
  sessionReadyAt?: number;
  phoneRunningAt?: number;
  /** The source's own split, ms since it started: first captured frame, DevTools port, shell attached. */
  sourceFirstFrameMs?: number;
  devToolsMs?: number;
  attachedMs?: number;
  pids?: number[];
};

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

export function edgeStart(lines: readonly LogLine[], sessionId: string | undefined): EdgeStart {
  if (!sessionId) return {};
  const mine = lines.filter((l) => l.fields.sessionId === sessionId);
  const ready = mine.find((l) => l.msg === 'session ready');
  const running = mine.find((l) => l.msg === 'phone running');
  const out: EdgeStart = {};
  if (ready) out.sessionReadyAt = ready.t;
  if (running) {
    out.phoneRunningAt = running.t;
    const f = running.fields;
    const first = num(f.firstFrameMs);
    if (first !== undefined) out.sourceFirstFrameMs = first;
    const dev = num(f.devToolsMs);
    if (dev !== undefined) out.devToolsMs = dev;
    const att = num(f.attachedMs);
    if (att !== undefined) out.attachedMs = att;
    if (Array.isArray(f.pids)) out.pids = f.pids.filter((p): p is number => typeof p === 'number');
  }
  return out;
}

/** Warnings and errors the server logged (pino levels 40 and up), for the report. */
export function problems(lines: readonly LogLine[]): Array<{ t: string; level: number; msg: string; detail: string }> {
  return lines
    .filter((l) => typeof l.fields.level === 'number' && (l.fields.level as number) >= 40)
    .map((l) => {
      const { level, time: _t, pid: _p, msg: _m, hostname: _h, ...rest } = l.fields;
      return { t: new Date(l.t).toISOString(), level: level as number, msg: l.msg, detail: JSON.stringify(rest).slice(0, 300) };
    });
}
