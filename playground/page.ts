import { CATEGORIES, type Endpoint } from './endpoints';

export interface IndexPageInput {
  readonly endpoints: readonly Endpoint[];
  readonly pageOrigin: string;
  readonly apiOrigin: string;
  readonly api2Origin: string;
  /** The URL a client starts from for this endpoint (its own origin, path and query). */
  readonly startUrl: (endpoint: Endpoint) => string;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const STYLE = `
body { font: 13px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; color: #202124; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; } h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #dadce0; }
section.endpoint { border: 1px solid #dadce0; border-radius: 4px; padding: .5rem .75rem; margin: .5rem 0; }
section.endpoint h3 { font-size: .95rem; margin: 0; } section.endpoint p { margin: .25rem 0; }
code { font: 12px ui-monospace, monospace; } .id { color: #5f6368; }
button { font: 12px ui-monospace, monospace; margin: .15rem .25rem .15rem 0; cursor: pointer; }
ol.log { font: 12px ui-monospace, monospace; margin: .35rem 0 0; padding-left: 0; list-style: none; max-height: 14rem; overflow: auto; }
ol.log li.error { color: #c5221f; } ol.log li.open, ol.log li.message { color: #188038; } ol.log li.summary { font-weight: bold; }
@media (prefers-color-scheme: dark) { body { background: #202124; color: #e8eaed; } section.endpoint { border-color: #3c4043; } .id { color: #9aa0a6; } }
`;

/**
 * The index is rendered on the server from the catalogue (escaped, so it works without script and
 * tests can read it); index.js only attaches the buttons and writes the live log with DOM APIs.
 */
export function renderIndexPage(input: IndexPageInput): string {
  const sections = CATEGORIES.map((category) => {
    const members = input.endpoints.filter((endpoint) => endpoint.category === category.id);
    if (members.length === 0) return '';
    return `<h2 id="category-${escapeHtml(category.id)}">${escapeHtml(category.title)}</h2>\n${members.map((e) => renderEndpoint(e, input.startUrl(e))).join('\n')}`;
  }).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SSE Inspector playground</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style>
</head>
<body data-page-origin="${escapeHtml(input.pageOrigin)}" data-api-origin="${escapeHtml(input.apiOrigin)}" data-api2-origin="${escapeHtml(input.api2Origin)}">
<h1>SSE Inspector playground</h1>
<p>${input.endpoints.length} Server-Sent Events endpoints, each a real-world misconfiguration or a correct control.
This page is <code>${escapeHtml(input.pageOrigin)}</code>; the API is <code>${escapeHtml(input.apiOrigin)}</code> and a second API is <code>${escapeHtml(input.api2Origin)}</code>.
Open DevTools and click a scenario to run its client.</p>
${sections}
<script type="module" src="/index.js"></script>
</body>
</html>
`;
}

function renderEndpoint(endpoint: Endpoint, url: string): string {
  const buttons = endpoint.scenarios
    .map((scenario) => `<button type="button" data-scenario="${escapeHtml(scenario)}" data-url="${escapeHtml(url)}">${escapeHtml(scenario)}</button>`)
    .join('');
  return `<section class="endpoint" id="${escapeHtml(endpoint.id)}" data-endpoint="${escapeHtml(endpoint.id)}" data-category="${escapeHtml(endpoint.category)}">
<h3>${escapeHtml(endpoint.title)} <code class="id">${escapeHtml(endpoint.id)}</code></h3>
<p>${escapeHtml(endpoint.description)}</p>
<p><code>${escapeHtml(url)}</code></p>
<div>${buttons}<button type="button" data-stop>stop</button></div>
<ol class="log" data-log></ol>
</section>`;
}
