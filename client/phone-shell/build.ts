/**
 * The phone shell's files, built in memory: shell.js bundled by esbuild
 * from main.ts (protocol/ included), the pages and style sheets read as
 * they are. The edge serves the map at /phone-shell/ (express), keyed by
 * path relative to it. Everything the shell loads is in this map: it makes
 * no other requests.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../build.ts';

const SHELL_DIR = path.dirname(fileURLToPath(import.meta.url));

export type ShellFile = { contentType: string; body: string | Buffer };

export type BuildPhoneShellOptions = {
  minify?: boolean;
  /** 'inline' (default) keeps the sources readable in DevTools; 'none' for the smallest script. */
  sourcemap?: 'inline' | 'none';
};

/** Files copied as they are: name -> content type. */
const STATIC_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'start.html': 'text/html; charset=utf-8',
  'help.html': 'text/html; charset=utf-8',
  'shell.css': 'text/css; charset=utf-8',
  'pages.css': 'text/css; charset=utf-8',
};

export async function buildPhoneShell(opts: BuildPhoneShellOptions = {}): Promise<Map<string, ShellFile>> {
  const { js } = await bundle(path.join(SHELL_DIR, 'main.ts'), 'shell.js', { minify: opts.minify ?? false, sourcemap: opts.sourcemap ?? 'inline' });

  const files = new Map<string, ShellFile>();
  files.set('shell.js', { contentType: 'text/javascript; charset=utf-8', body: js });
  await Promise.all(
    Object.entries(STATIC_FILES).map(async ([name, contentType]) => {
      files.set(name, { contentType, body: await readFile(path.join(SHELL_DIR, name), 'utf8') });
    }),
  );
  return files;
}
