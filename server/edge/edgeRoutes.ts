/**
 * The edge's own HTTP routes. The probe answers as fast as possible: pages
 * time it to find their nearest edge, so it must not wait on anything. The
 * phone shell is what each phone instance's Chromium shows.
 */
import express from 'express';
import { PHONE_SHELL_PATH } from '../../protocol/index.ts';
import type { EdgeHost } from './edgeHost.ts';

/** Built files by path relative to the shell's root (client/phone-shell/build.ts). */
export type ShellFiles = Map<string, { contentType: string; body: string | Buffer }>;

export function createEdgeRoutes(edge: EdgeHost, shell: ShellFiles): express.Router {
  const r = express.Router();
  r.get('/edge/probe', (_req, res) => {
    // Pages on the broker's origin probe every candidate edge: allow them (CORS),
    // and expose timing so Resource Timing sees the real round trip.
    res.set({ 'Access-Control-Allow-Origin': '*', 'Timing-Allow-Origin': '*', 'Cache-Control': 'no-store' });
    res.status(204).end();
  });
  r.get('/edge/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ edgeId: edge.id, ...edge.load, draining: edge.draining });
  });
  r.get(`${PHONE_SHELL_PATH}/:file`, (req, res) => {
    const f = shell.get(req.params.file);
    if (!f) return void res.status(404).type('text/plain').send('not found');
    // Built once per process: a phone may cache it for as long as the edge runs.
    res.set({ 'Content-Type': f.contentType, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }).send(f.body);
  });
  return r;
}
