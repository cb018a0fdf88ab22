/** Broker HTTP API shapes shared by the player page, tests and the broker. */
import type { VideoInfo } from './signalling.ts';

export type CatalogTitle = { id: string; name: string; kind: 'game'; description: string };

/** POST /api/play/:linkId  -> 201 StartSessionResponse */
export type StartSessionResponse = {
  sessionId: string;
  titleId: string;
  /** Absolute or page-relative WebSocket URL of the edge's signalling endpoint, session included. */
  signalUrl: string;
  edgeId: string;
  /** Play time limit in seconds, counted from the first picture. */
  playSeconds: number;
  video: VideoInfo;
};
