/**
 * The in-page sampler (page/sampler.ts) as one classic script for
 * page.addInitScript: bundled with esbuild (already the client's bundler)
 * on first use, so it is type-checked TypeScript in the repository yet needs
 * no build step, and Playwright never has to serialise a function (whose
 * source a TypeScript loader may have rewritten).
 */
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function samplerScript(): string {
  if (cached !== undefined) return cached;
  const result = buildSync({
    entryPoints: [fileURLToPath(new URL('./page/sampler.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    target: 'chrome110',
    minify: false,
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no sampler script');
  cached = file.text;
  return cached;
}
