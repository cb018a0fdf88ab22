/**
 * What a latency run produces: the helper's result (LatencyResult) and the
 * CLI's report file around it (LatencyReport, written as JSON and rendered
 * as HTML). Every figure is null when there was nothing to measure it from.
 */
import type { NetworkFigures } from './network.ts';
import type { Freezes, Summary } from './stats.ts';

export type LatencyResult = {
  /** Navigation start to the first presented frame of the stream. */
  firstPictureMs: number | null;
  window: { startedAt: string; seconds: number };
  /** Frames whose stamp could be read, and of those, how many decoded valid (spec: invalid rows are discarded). */
  stamp: { framesRead: number; framesValid: number; decodeRate: number | null };
  glassToGlassMs: Summary;
  inputToPhotonMs: Summary & { inputsSent: number; inputsSeen: number };
  fps: { presented: number; decoded: number | null };
  freezes: { over100ms: Freezes; over250ms: Freezes };
  network: NetworkFigures;
  session: {
    encoder: string | null;
    edgeId: string | null;
    sessionId: string | null;
    codec: string | null;
    decoder: string | null;
    width: number | null;
    height: number | null;
  };
  /** Series for charts: seconds since the window started. */
  timeline: {
    g2g: Array<[number, number]>;
    inputToPhoton: Array<[number, number]>;
    /** [second, presented fps] per whole second. */
    presentedFps: Array<[number, number]>;
    /** [second, kbps, decoded fps] per getStats interval. */
    rtc: Array<[number, number | null, number | null]>;
  };
  /** Anything the reader should know: samples dropped, no peer connection seen, ... */
  warnings: string[];
};

export type LatencyReport = {
  tool: 'edgeplay-latency';
  version: 1;
  createdAt: string;
  url: string;
  profile: {
    requested: string;
    /** The profile the figures were taken under (lan when shaping was impossible). */
    applied: string;
    description: string;
    /** How the impairment was applied: kernel netem, the userspace wire (scripts/netem_wire.py), or nothing. */
    shaper: 'netem' | 'wire' | 'none';
    note?: string;
  };
  machine: { nproc: number; cpuModel: string; loadavg: number[]; node: string; chromium?: string };
  video?: { width: number; height: number; fps: number; bitrateKbps?: number };
  result: LatencyResult;
};
