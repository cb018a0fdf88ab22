/**
 * A hostile player page for the isolation checks (issue 18): it keeps both
 * input data channels of its own session as full as the browser lets it, with
 * valid messages of every type (distinct keys, so a held set would grow),
 * for as long as the channels stay open. Used by `npm run bench:flood` and
 * e2e/input-flood.spec.ts.
 */
import type { Page } from '@playwright/test';

/** Before the page loads: keep every data channel the edge opens where the flood can reach it. */
export async function captureDataChannels(page: Page): Promise<void> {
  // The TypeScript loader wraps named inner functions in __name(), which the page does not have.
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.addInitScript(() => {
    const w = window as unknown as { __floodChannels: RTCDataChannel[]; RTCPeerConnection: typeof RTCPeerConnection };
    w.__floodChannels = [];
    const Original = w.RTCPeerConnection;
    w.RTCPeerConnection = class extends Original {
      constructor(config?: RTCConfiguration) {
        super(config);
        this.addEventListener('datachannel', (e) => w.__floodChannels.push(e.channel));
      }
    };
  });
}

export type FloodResult = { sent: Record<string, number>; sendErrors: number; closes: string[]; timeline: string[]; ms: number; channelsOpenAtEnd: number };

/**
 * Floods for `seconds`, on whichever channels the page has open: every 5 ms
 * each open channel is topped up to `highWaterBytes` buffered. Resolves with
 * how many messages went out per channel.
 */
export async function floodInput(page: Page, seconds: number, highWaterBytes = 256 * 1024): Promise<FloodResult> {
  return page.evaluate(
    async ({ seconds, highWaterBytes }) => {
      const channels = (window as unknown as { __floodChannels: RTCDataChannel[] }).__floodChannels;
      const sent: Record<string, number> = {};
      let sendErrors = 0;
      let n = 0;
      const message = (): string => {
        const ts = Date.now();
        n++;
        switch (n % 8) {
          case 0:
            return JSON.stringify({ t: 'key', ts, down: true, code: `Key${n % 100_000}` });
          case 1:
            return JSON.stringify({ t: 'move', ts, x: (n % 100) / 100, y: 0.5, dx: 1, dy: 0 });
          case 2:
            return JSON.stringify({ t: 'button', ts, down: n % 16 < 8, button: n % 5, x: 0.5, y: 0.5 });
          case 3:
            return JSON.stringify({ t: 'wheel', ts, dx: 0, dy: 1 });
          case 4:
            return JSON.stringify({ t: 'touch', ts, phase: 'start', id: n % 1024, x: 0.5, y: 0.5 });
          case 5:
            return JSON.stringify({ t: 'pad', ts, index: 0, buttons: Array(17).fill(n % 2), axes: [0.5, -0.5, 0, 0] });
          case 6:
            return JSON.stringify({ t: 'text', ts, text: 'x'.repeat(200) });
          default:
            return JSON.stringify({ t: 'nav', ts, action: 'home' });
        }
      };
      const start = performance.now();
      const closes: string[] = [];
      const watched = new Set<RTCDataChannel>();
      /** Once a second: messages sent so far and what each open channel still buffers (a stalled channel shows here). */
      const timeline: string[] = [];
      while (performance.now() - start < seconds * 1000) {
        for (const ch of channels) {
          if (watched.has(ch)) continue;
          watched.add(ch);
          ch.addEventListener('error', (e) =>
            closes.push(`${ch.label} error at ${Math.round(performance.now() - start)} ms: ${(e as RTCErrorEvent).error.message}`),
          );
          ch.addEventListener('close', () => closes.push(`${ch.label} closed at ${Math.round(performance.now() - start)} ms`));
        }
        // The page reconnects when its picture stalls: the new connection's channels are flooded too.
        const open = channels.filter((c) => c.readyState === 'open');
        for (const ch of open) {
          // Bounded per tick, whatever bufferedAmount says.
          for (let i = 0; i < 5000 && ch.bufferedAmount < highWaterBytes; i++) {
            try {
              ch.send(message());
              sent[ch.label] = (sent[ch.label] ?? 0) + 1;
            } catch {
              sendErrors++;
              break;
            }
          }
        }
        const sec = Math.floor((performance.now() - start) / 1000);
        if (!timeline[sec]) timeline[sec] = `${Object.values(sent).reduce((a, b) => a + b, 0)} sent, ${open.map((c) => c.bufferedAmount).join('/')} B buffered`;
        await new Promise((r) => setTimeout(r, 5));
      }
      return {
        sent,
        sendErrors,
        closes,
        timeline,
        ms: Math.round(performance.now() - start),
        channelsOpenAtEnd: channels.filter((c) => c.readyState === 'open').length,
      };
    },
    { seconds, highWaterBytes },
  );
}
