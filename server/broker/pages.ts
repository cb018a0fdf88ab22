/** Small server-rendered pages: the landing page and clear error pages. */
import type { CatalogTitle } from '../../protocol/index.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const shell = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#0b0f17;color:#e8ecf3;font:16px/1.5 system-ui,sans-serif}
main{max-width:36rem;padding:2rem}h1{font-size:1.6rem;margin:0 0 .5rem}a{color:#7cc4ff}
.card{background:#151c2a;border-radius:12px;padding:1rem 1.25rem;margin:1rem 0}.code{opacity:.6;font-size:.85rem}
</style></head><body><main>${body}</main></body></html>`;

export function landingPage(titles: ReadonlyArray<{ title: CatalogTitle; playUrl: string }>): string {
  const cards = titles
    .map(
      ({ title, playUrl }) =>
        `<div class="card"><h2>${escapeHtml(title.name)}</h2><p>${escapeHtml(title.description)}</p><a href="${escapeHtml(playUrl)}">Play now</a></div>`,
    )
    .join('');
  return shell('Edgeplay', `<h1>Edgeplay</h1><p>Games stream from the nearest edge, straight into your browser. No download.</p>${cards}`);
}

export function errorPage(o: { title: string; message: string; code: string }): string {
  return shell(
    o.title,
    `<h1 data-error-code="${escapeHtml(o.code)}">${escapeHtml(o.title)}</h1><p>${escapeHtml(o.message)}</p><p class="code">Error: ${escapeHtml(o.code)}</p><p><a href="/">Back to the games</a></p>`,
  );
}
