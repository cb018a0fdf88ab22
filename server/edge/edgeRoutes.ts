/**
 * The edge's own HTTP routes. The probe answers as fast as possible: pages
 * time it to find their nearest edge, so it must not wait on anything.
 */
import express from 'express';
import type { EdgeHost } from './edgeHost.ts';

export function createEdgeRoutes(edge: EdgeHost): express.Router {
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
  return r;
}
