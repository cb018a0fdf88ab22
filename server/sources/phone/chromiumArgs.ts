/**
 * Pure pieces of running the phone shell in Chromium: its command line, the
 * mobile user agent, and the DevToolsActivePort file it writes.
 *
 * The window is the whole X screen: Xvfb has no window manager, so the
 * window lands exactly where --window-position/--window-size put it, and
 * --kiosk drops every piece of browser UI (tabs, toolbar, infobars).
 */
import { join } from 'node:path';
import type { UserAgentMetadata } from './cdpClient.ts';

export type ChromiumArgsOptions = {
  shellUrl: string;
  /** The instance's profile: everything the phone keeps (localStorage, IndexedDB, cookies) lives here. */
  userDataDir: string;
  width: number;
  height: number;
  userAgent: string;
  /** Chromium refuses to start as root with its sandbox on. */
  asRoot: boolean;
  /** `--host-resolver-rules`, e.g. "MAP phone.edgeplay.localhost 127.0.0.1:8080" (a fixed shell origin on any port). */
  hostRules?: string;
};

/** Features switched off, and why. */
const DISABLED_FEATURES = [
  'Translate', // the "translate this page?" bubble
  'MediaRouter', // Cast discovery: network scans and a dialog
  'OptimizationHints', // downloads models from Google
  'AutofillServerCommunication',
];

export function buildChromiumArgs(o: ChromiumArgsOptions): string[] {
  return [
    // The phone screen: one borderless window covering the whole display, CSS px = device px.
    `--kiosk`,
    `--app=${o.shellUrl}`,
    `--window-position=0,0`,
    `--window-size=${o.width},${o.height}`,
    `--force-device-scale-factor=1`,
    `--ozone-platform=x11`,
    `--user-data-dir=${o.userDataDir}`,
    // A phone: touch input, a mobile user agent, no browser pinch-zoom or pull-to-refresh
    // (they would scale or shift the shell, and the latency stamp with it).
    `--touch-events=enabled`,
    `--user-agent=${o.userAgent}`,
    `--disable-pinch`,
    `--pull-to-refresh=0`,
    `--overscroll-history-navigation=0`,
    // Software rendering (Xvfb has no GPU); colours as the page draws them, so the stamp reads back exactly.
    `--disable-gpu`,
    `--force-color-profile=srgb`,
    // No bubbles, dialogs or infobars over the phone's screen.
    `--no-first-run`,
    `--no-default-browser-check`,
    `--hide-crash-restore-bubble`,
    `--disable-infobars`,
    `--noerrdialogs`,
    `--disable-search-engine-choice-screen`,
    `--disable-default-apps`,
    `--disable-extensions`,
    `--disable-popup-blocking`,
    `--password-store=basic`,
    `--disable-features=${DISABLED_FEATURES.join(',')}`,
    // Nothing phones home, updates or syncs on its own.
    `--disable-background-networking`,
    `--disable-component-update`,
    `--disable-sync`,
    `--disable-breakpad`,
    `--disable-domain-reliability`,
    `--metrics-recording-only`,
    `--no-pings`,
    // The shell keeps drawing (and stamping) although nothing on the display is "focused" or "visible" to a WM.
    `--disable-renderer-backgrounding`,
    `--disable-background-timer-throttling`,
    `--disable-backgrounding-occluded-windows`,
    `--autoplay-policy=no-user-gesture-required`,
    // Port 0: Chromium picks a free one and writes it to <user-data-dir>/DevToolsActivePort.
    `--remote-debugging-address=127.0.0.1`,
    `--remote-debugging-port=0`,
    ...(o.hostRules ? [`--host-resolver-rules=${o.hostRules}`] : []),
    ...(o.asRoot ? ['--no-sandbox'] : []),
  ];
}

/** Android-like user agent naming Edgeplay, for Chromium `major` (user-agent reduction: minor parts are 0). */
export function mobileUserAgent(major: number): string {
  return `Mozilla/5.0 (Linux; Android 14; Edgeplay Cloud Phone) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Mobile Safari/537.36 Edgeplay/1`;
}

/** User-agent client hints matching mobileUserAgent (Emulation.setUserAgentOverride). */
export function mobileUserAgentMetadata(fullVersion: string): UserAgentMetadata {
  const major = fullVersion.split('.')[0] ?? '0';
  const brands = (v: (b: string) => string) => [
    { brand: 'Chromium', version: v(major) },
    { brand: 'Not;A=Brand', version: v('24') },
  ];
  return {
    brands: brands((m) => m),
    fullVersionList: brands((m) => (m === major ? fullVersion : `${m}.0.0.0`)),
    platform: 'Android',
    platformVersion: '14.0.0',
    architecture: '',
    model: 'Edgeplay Cloud Phone',
    mobile: true,
  };
}

/** "Chrome/156.0.8078.79" (Browser.getVersion's product) or "Chromium 156.0.8078.79 ..." (--version) → "156.0.8078.79". */
export function parseChromiumVersion(text: string): string | undefined {
  return /(\d+)\.(\d+)\.(\d+)\.(\d+)/.exec(text)?.[0];
}

export const devToolsActivePortFile = (userDataDir: string) => join(userDataDir, 'DevToolsActivePort');

/** DevToolsActivePort holds the port on line 1 and the browser endpoint's path on line 2. */
export function parseDevToolsActivePort(text: string): { port: number; browserPath: string } | undefined {
  const [portLine, path] = text.split('\n').map((l) => l.trim());
  const port = Number(portLine);
  if (!Number.isInteger(port) || port <= 0 || port > 65535 || !path?.startsWith('/devtools/browser/')) return undefined;
  return { port, browserPath: path };
}
