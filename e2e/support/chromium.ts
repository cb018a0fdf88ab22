/**
 * How this project launches Chromium: Debian's binary (CHROMIUM_PATH
 * overrides), headless, with the flags a closed network and loopback WebRTC
 * need: loopback host candidates are refused without
 * --allow-loopback-in-peer-connection, and are mDNS names unless
 * WebRtcHideLocalIpsWithMdns is disabled (both measured on Debian's Chromium).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebRTC over loopback: allow 127.0.0.1 candidates and show real host IPs instead of mDNS names.
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  // Headless tabs are "hidden": keep timers and rendering at full rate.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--autoplay-policy=no-user-gesture-required',
];

export function chromiumExecutable(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export function chromiumLaunchOptions() {
  return { executablePath: chromiumExecutable(), headless: true, args: CHROMIUM_ARGS };
}
