/**
 * Bundles the browser pages' scripts (and what they import, protocol/
 * included) into one file each, in memory: the player page
 * (client/player.ts, served at /client/player.js) and the cloud-phone app
 * (client/phone/phoneApp.ts, served at /client/phone.js). The server calls
 * these once at start-up.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CLIENT_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT_DIR = path.resolve(CLIENT_DIR, '..');

/** The cloud-phone app's page and style sheet, served at /phone and /client/phone.css. */
export const PHONE_HTML_FILE = path.join(CLIENT_DIR, 'phone', 'phone.html');
export const PHONE_CSS_FILE = path.join(CLIENT_DIR, 'phone', 'phone.css');

/** The phone app's static files, as the server serves them. */
export async function readPhoneAppFiles(): Promise<{ html: string; css: string }> {
  const [html, css] = await Promise.all([readFile(PHONE_HTML_FILE, 'utf8'), readFile(PHONE_CSS_FILE, 'utf8')]);
  return { html, css };
}

export type BuildClientOptions = {
  minify?: boolean;
  /** 'inline' (default) embeds the map in the script; 'external' returns it as `sourceMap`; 'none' has no map. */
  sourcemap?: 'inline' | 'external' | 'none';
};

/** The player page's script (/client/player.js). */
export function buildClient(opts: BuildClientOptions = {}): Promise<{ js: string; sourceMap?: string }> {
  return bundle(path.join(CLIENT_DIR, 'player.ts'), 'player.js', opts);
}

/** The cloud-phone app's script (/client/phone.js), with the same options as the player's. */
export function buildPhoneApp(opts: BuildClientOptions = {}): Promise<{ js: string; sourceMap?: string }> {
  return bundle(path.join(CLIENT_DIR, 'phone', 'phoneApp.ts'), 'phone.js', opts);
}

/** One browser script from `entry` and all it imports, in memory; `outName` names it in errors and maps. */
export async function bundle(entry: string, outName: string, opts: BuildClientOptions): Promise<{ js: string; sourceMap?: string }> {
  const sourcemap = opts.sourcemap ?? 'inline';
  const result = await build({
    absWorkingDir: ROOT_DIR,
    entryPoints: [entry],
    outfile: path.join(ROOT_DIR, 'dist', 'client', outName), // names the outputs; nothing is written
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'chrome110',
    minify: opts.minify ?? false,
    sourcemap: sourcemap === 'none' ? false : sourcemap,
    sourcesContent: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  if (result.errors.length > 0) throw new Error(`client build of ${outName} failed: ${result.errors.map((e) => e.text).join('; ')}`);
  let js: string | undefined;
  let sourceMap: string | undefined;
  for (const f of result.outputFiles) {
    if (f.path.endsWith('.js.map')) sourceMap = f.text;
    else if (f.path.endsWith('.js')) js = f.text;
  }
  if (js === undefined) throw new Error(`client build of ${outName} produced no script`);
  return sourceMap === undefined ? { js } : { js, sourceMap };
}
