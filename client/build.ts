/**
 * Bundles the player page's script (client/player.ts and what it imports,
 * protocol/ included) into one browser file, in memory. The server calls
 * this once at start-up and serves the result at /client/player.js.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CLIENT_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT_DIR = path.resolve(CLIENT_DIR, '..');

export type BuildClientOptions = {
  minify?: boolean;
  /** 'inline' (default) embeds the map in the script; 'external' returns it as `sourceMap`; 'none' has no map. */
  sourcemap?: 'inline' | 'external' | 'none';
};

export async function buildClient(opts: BuildClientOptions = {}): Promise<{ js: string; sourceMap?: string }> {
  const sourcemap = opts.sourcemap ?? 'inline';
  const result = await build({
    absWorkingDir: ROOT_DIR,
    entryPoints: [path.join(CLIENT_DIR, 'player.ts')],
    outfile: path.join(ROOT_DIR, 'dist', 'client', 'player.js'), // names the outputs; nothing is written
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
  if (result.errors.length > 0) throw new Error(`client build failed: ${result.errors.map((e) => e.text).join('; ')}`);
  let js: string | undefined;
  let sourceMap: string | undefined;
  for (const f of result.outputFiles) {
    if (f.path.endsWith('.js.map')) sourceMap = f.text;
    else if (f.path.endsWith('.js')) js = f.text;
  }
  if (js === undefined) throw new Error('client build produced no script');
  return sourceMap === undefined ? { js } : { js, sourceMap };
}
