import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildChromiumArgs,
  devToolsActivePortFile,
  mobileUserAgent,
  mobileUserAgentMetadata,
  parseChromiumVersion,
  parseDevToolsActivePort,
} from './chromiumArgs.ts';

const base = {
  shellUrl: 'http://127.0.0.1:8080/phone-shell/index.html?name=Ada',
  userDataDir: '/data/phones/s1/i1/chromium',
  width: 721,
  height: 1281,
  userAgent: 'UA',
};

test('the whole Chromium command line of a phone', () => {
  assert.deepEqual(buildChromiumArgs({ ...base, asRoot: false }), [
    '--kiosk',
    '--app=http://127.0.0.1:8080/phone-shell/index.html?name=Ada',
    '--window-position=0,0',
    '--window-size=721,1281',
    '--force-device-scale-factor=1',
    '--ozone-platform=x11',
    '--user-data-dir=/data/phones/s1/i1/chromium',
    '--touch-events=enabled',
    '--user-agent=UA',
    '--disable-pinch',
    '--pull-to-refresh=0',
    '--overscroll-history-navigation=0',
    '--disable-gpu',
    '--force-color-profile=srgb',
    '--no-first-run',
    '--no-default-browser-check',
    '--hide-crash-restore-bubble',
    '--disable-infobars',
    '--noerrdialogs',
    '--disable-search-engine-choice-screen',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-popup-blocking',
    '--password-store=basic',
    '--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-breakpad',
    '--disable-domain-reliability',
    '--metrics-recording-only',
    '--no-pings',
    '--disable-renderer-backgrounding',
    '--disable-background-timer-throttling',
    '--disable-backgrounding-occluded-windows',
    '--autoplay-policy=no-user-gesture-required',
    '--remote-debugging-address=127.0.0.1',
    '--remote-debugging-port=0',
  ]);
});

test('--no-sandbox only as root, and last', () => {
  const root = buildChromiumArgs({ ...base, asRoot: true });
  assert.equal(root.at(-1), '--no-sandbox');
  assert.equal(root.filter((a) => a === '--no-sandbox').length, 1);
  assert.ok(!buildChromiumArgs({ ...base, asRoot: false }).includes('--no-sandbox'));
});

test('the URL and the profile path stay one argument each, whatever they contain', () => {
  const args = buildChromiumArgs({ ...base, shellUrl: 'http://h/x?name=A%20B&x=1', userDataDir: '/data/with space/chromium', asRoot: false });
  assert.ok(args.includes('--app=http://h/x?name=A%20B&x=1'));
  assert.ok(args.includes('--user-data-dir=/data/with space/chromium'));
});

test('a mobile, Android-like user agent naming Edgeplay, and matching client hints', () => {
  const ua = mobileUserAgent(156);
  assert.match(ua, /^Mozilla\/5\.0 \(Linux; Android 14; Edgeplay Cloud Phone\) .* Chrome\/156\.0\.0\.0 Mobile Safari\/537\.36/);
  assert.match(ua, /Edgeplay/);
  const meta = mobileUserAgentMetadata('156.0.8078.79');
  assert.equal(meta.mobile, true);
  assert.equal(meta.platform, 'Android');
  assert.deepEqual(meta.brands[0], { brand: 'Chromium', version: '156' });
  assert.deepEqual(meta.fullVersionList[0], { brand: 'Chromium', version: '156.0.8078.79' });
});

test('Chromium versions from --version, Browser.getVersion and "Last Version"', () => {
  assert.equal(parseChromiumVersion('Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)'), '156.0.8078.79');
  assert.equal(parseChromiumVersion('Chrome/156.0.8078.79'), '156.0.8078.79');
  assert.equal(parseChromiumVersion('156.0.8078.79'), '156.0.8078.79');
  assert.equal(parseChromiumVersion('garbage'), undefined);
});

test('DevToolsActivePort: port and browser path, or nothing while it is being written', () => {
  assert.equal(devToolsActivePortFile('/d/chromium'), '/d/chromium/DevToolsActivePort');
  assert.deepEqual(parseDevToolsActivePort('37809\n/devtools/browser/6364b4c5-290d\n'), { port: 37809, browserPath: '/devtools/browser/6364b4c5-290d' });
  assert.equal(parseDevToolsActivePort(''), undefined);
  assert.equal(parseDevToolsActivePort('37809'), undefined, 'half written');
  assert.equal(parseDevToolsActivePort('0\n/devtools/browser/x'), undefined);
  assert.equal(parseDevToolsActivePort('99999\n/devtools/browser/x'), undefined);
  assert.equal(parseDevToolsActivePort('123\n/elsewhere'), undefined);
});

test('a fixed shell origin is mapped to the edge it runs on, so the phone keeps its data when the port changes', () => {
  const args = buildChromiumArgs({
    ...base,
    asRoot: false,
    shellUrl: 'http://phone.edgeplay.localhost/phone-shell/index.html',
    hostRules: 'MAP phone.edgeplay.localhost 127.0.0.1:8080',
  });
  assert.ok(args.includes('--host-resolver-rules=MAP phone.edgeplay.localhost 127.0.0.1:8080'));
  assert.ok(!buildChromiumArgs({ ...base, asRoot: false }).some((a) => a.startsWith('--host-resolver-rules')), 'no rule unless asked');
});
