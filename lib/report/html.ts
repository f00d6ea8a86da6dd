import { PLATFORM_LABELS, type Platform } from '../fixes/plan';
import type { Severity } from '../rules/define';
import { cut, html, linkableUrl, SafeHtml, type HtmlValue } from './markup';
import { evidenceLine, plural } from './text';
import type { HeaderPair, Report, ReportExchange, ReportFinding, ReportStream } from './types';
import {
  bounded,
  intervalRange,
  retryValuesText,
  clientLine,
  codeSegments,
  formatMs,
  limitsOf,
  prepared,
  READY_STATE_NAMES,
  reportCounts,
  severityCounts,
  snippetFor,
  sortedFindings,
  timelineFacts,
  verdictCode,
  type ExportLimits,
  type ExportOptions,
} from './view';
import { headerMarks, type ExchangeMarks, type HeaderMark } from '../model/header-marks';

/**
 * The HTML report: one self-contained file, readable offline. Inline CSS only, no script, no
 * external request (a Content-Security-Policy of `default-src 'none'` says so to the browser as
 * well), light or dark with the reader's system. Per stream it holds what the panel's Diagnosis,
 * Headers and Timeline tabs show, plus the first messages. Built only through the `html` tag.
 */

const STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f1f1f; --muted: #474747; --border: #d0d0d0; --panel: #f3f3f3;
  --error: #b3261e; --warning: #7a4a00; --info: #0b57d0; --ok: #146c2e; --mark: #fff3c4; --link: #0b57d0; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #1e1e1e; --fg: #e3e3e3; --muted: #b8b8b8; --border: #4a4a4a; --panel: #2a2a2a;
    --error: #ff8a80; --warning: #ffcc66; --info: #8ab4f8; --ok: #81c995; --mark: #4d3f00; --link: #8ab4f8; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 16px 24px 48px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; word-break: break-all; }
h3 { font-size: 15px; margin: 20px 0 6px; } h4 { font-size: 14px; margin: 12px 0 4px; }
a { color: var(--link); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
code { overflow-wrap: anywhere; }
pre { background: var(--panel); border: 1px solid var(--border); padding: 8px 10px; overflow: auto; max-height: 480px; white-space: pre; }
table { border-collapse: collapse; margin: 6px 0 10px; width: 100%; }
th, td { border: 1px solid var(--border); padding: 3px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--panel); font-weight: 600; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.verdicts th, table.verdicts td:nth-child(2), table.verdicts td:nth-child(3) { white-space: nowrap; width: 1%; }
.muted { color: var(--muted); }
.note { border-left: 4px solid var(--warning); padding: 4px 10px; background: var(--panel); }
.sev { font-weight: 700; text-transform: uppercase; font-size: 12px; }
.sev-error { color: var(--error); } .sev-warning { color: var(--warning); } .sev-info { color: var(--info); }
.out-open { color: var(--ok); } .out-blocked, .out-failed { color: var(--error); } .out-reconnecting { color: var(--warning); }
.finding { border: 1px solid var(--border); border-left-width: 4px; padding: 4px 12px 8px; margin: 10px 0; }
.finding.sev-error-edge { border-left-color: var(--error); } .finding.sev-warning-edge { border-left-color: var(--warning); }
.finding.sev-info-edge { border-left-color: var(--info); }
tr.marked td { background: var(--mark); }
.lane { position: relative; height: 14px; background: var(--panel); border: 1px solid var(--border); }
.lane span { position: absolute; top: 0; bottom: 0; background: var(--info); min-width: 2px; }
.lane span.failed { background: var(--error); }
details { margin: 8px 0; } summary { cursor: pointer; font-weight: 600; }
`;

const SEVERITY_LABEL: Readonly<Record<Severity, string>> = { error: 'Error', warning: 'Warning', info: 'Info' };

function prose(text: string, max: number): SafeHtml {
  return html`${codeSegments(cut(text, max)).map((piece) => (piece.code ? html`<code>${piece.text}</code>` : piece.text))}`;
}

/** A link when the URL is http(s); its text otherwise (javascript: and friends never become links). */
function link(label: string, url: string): SafeHtml {
  const href = linkableUrl(url);
  return href === null ? html`${label} <span class="muted">(${url})</span>` : html`<a href="${href}" rel="noopener noreferrer">${label}</a>`;
}

function outcome(value: string): SafeHtml {
  return html`<span class="out-${/^[a-z]+$/.test(value) ? value : 'other'}">${value}</span>`;
}

function omittedRow(count: number, columns: number, what: string): HtmlValue {
  return count > 0 ? html`<tr><td colspan="${columns}" class="muted">${count} more ${what} omitted</td></tr>` : null;
}

function summary(report: Report, limits: ExportLimits): SafeHtml {
  const { shown, omitted } = bounded(report.streams, limits.summaryRows);
  const rows = shown.map((stream, i) => {
    const { chromium, firefox } = stream.verdicts;
    const counts = severityCounts(stream.findings);
    const findings = stream.findings.length === 0 ? 'none' : (['error', 'warning', 'info'] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(', ');
    return html`<tr>
<td>${i + 1}</td>
<td>${i < limits.streams ? html`<a href="#stream-${i + 1}"><code>${cut(stream.url, 300)}</code></a>` : html`<code>${cut(stream.url, 300)}</code>`}</td>
<td>${stream.client.kind}${stream.client.credentials ? ' (credentials)' : ''}</td>
<td>${outcome(chromium.outcome)} <code>${verdictCode(chromium.corsError, chromium.cause)}</code></td>
<td>${outcome(firefox.outcome)} <code>${verdictCode(firefox.reason, firefox.cause)}</code></td>
<td>${findings}</td>
</tr>`;
  });
  return html`<table>
<caption>Streams</caption>
<thead><tr><th scope="col">#</th><th scope="col">Stream</th><th scope="col">Client</th><th scope="col">Chromium</th><th scope="col">Firefox</th><th scope="col">Findings</th></tr></thead>
<tbody>${rows}${omittedRow(omitted, 6, 'streams')}</tbody>
</table>`;
}

function verdicts(stream: ReportStream, limits: ExportLimits): SafeHtml {
  const { chromium, firefox } = stream.verdicts;
  const rows = [
    { name: 'Chromium', outcome: chromium.outcome, code: verdictCode(chromium.corsError, chromium.cause), console: chromium.console },
    { name: 'Firefox', outcome: firefox.outcome, code: verdictCode(firefox.reason, firefox.cause), console: firefox.console },
  ].map(
    (row) => html`<tr><th scope="row">${row.name}</th><td>${outcome(row.outcome)}</td><td><code>${row.code}</code></td>
<td>${row.console.map((line) => html`<div class="mono">${cut(line, limits.textLength)}</div>`)}</td></tr>`,
  );
  return html`<table class="verdicts">
<caption>What each browser does</caption>
<thead><tr><th scope="col">Browser</th><th scope="col">Outcome</th><th scope="col">Code</th><th scope="col">Console</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

function finding(stream: ReportStream, item: ReportFinding, platform: Platform, shownSnippets: Set<string>, limits: ExportLimits): SafeHtml {
  const evidence = item.evidence.map((e) => evidenceLine(stream, e)).filter((line) => line !== '');
  const snippet = snippetFor(item, platform);
  let fix: HtmlValue = null;
  if (snippet) {
    const label = PLATFORM_LABELS[snippet.platform] ?? snippet.platform;
    // Findings of one stream mostly share one complete handler; it is printed once.
    fix = shownSnippets.has(snippet.code)
      ? html`<p class="muted">${label}: the same code as above.</p>`
      : html`<p>${label}:</p><pre tabindex="0" aria-label="${label} fix"><code>${cut(snippet.code.replace(/\n+$/, ''), limits.snippetLength)}</code></pre>`;
    shownSnippets.add(snippet.code);
  }
  return html`<section class="finding sev-${item.severity}-edge">
<h4><span class="sev sev-${item.severity}">${SEVERITY_LABEL[item.severity] ?? item.severity}</span> ${prose(item.title, limits.textLength)} <code class="muted">${cut(item.ruleId, 100)}</code></h4>
<p>${prose(item.message, limits.textLength)}</p>
${evidence.length > 0 ? html`<ul aria-label="Evidence">${evidence.map((line) => html`<li class="mono">${cut(line, limits.textLength)}</li>`)}</ul>` : null}
<p><strong>Fix:</strong> ${prose(item.fix.summary, limits.textLength)} ${link('Documentation', item.docsUrl)}</p>
${fix}
</section>`;
}

function headerTable(caption: string, lines: readonly HeaderPair[], marks: ReadonlyMap<number, HeaderMark>, limits: ExportLimits): SafeHtml {
  const { shown, omitted } = bounded(lines, limits.headerLines);
  const rows = shown.map(([name, value], index) => {
    const mark = marks.get(index);
    return html`<tr${mark ? new SafeHtml(' class="marked"') : ''}><td class="mono">${cut(name, 200)}</td><td class="mono">${cut(value, limits.textLength)}</td>
<td>${mark ? html`<span class="sev sev-${mark.severity}">${mark.severity}</span> ${mark.ruleIds.join(', ')}` : ''}</td></tr>`;
  });
  return html`<table>
<caption>${caption}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Value</th><th scope="col">Finding</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="3" class="muted">none</td></tr>` : rows}${omittedRow(omitted, 3, 'header lines')}</tbody>
</table>`;
}

function exchange(item: ReportExchange, index: number, marks: ExchangeMarks | undefined, limits: ExportLimits): SafeHtml {
  const status = item.status === null ? (item.error ?? 'no response') : `${item.status} ${item.statusText}`;
  const missing = marks?.missing ?? [];
  return html`<details${index === 0 ? new SafeHtml(' open') : ''}>
<summary>#${index + 1} ${item.kind}, attempt ${item.attempt}: <code>${item.method} ${cut(item.url, 500)}</code> → ${status}</summary>
${headerTable('Request headers', item.requestHeaders, marks?.request ?? new Map(), limits)}
${headerTable('Response headers', item.responseHeaders, marks?.response ?? new Map(), limits)}
${missing.length > 0 ? html`<ul aria-label="Missing headers">${missing.map((m) => html`<li><span class="sev sev-${m.mark.severity}">${m.mark.severity}</span> ${m.side} header <code>${m.header}</code> is missing (${m.mark.ruleIds.join(', ')})</li>`)}</ul>` : null}
<p class="muted">${plural(item.bodyBytes, 'body byte')}${item.bodyEnd ? `, ended by the ${item.bodyEnd}` : ''}${item.error && item.status !== null ? `, ${item.error}` : ''}${item.httpVersion ? `, ${item.httpVersion}` : ''}</p>
</details>`;
}

function timeline(stream: ReportStream): SafeHtml {
  const facts = timelineFacts(stream);
  const percent = (ms: number) => `${Math.min(100, Math.max(0, (ms / facts.span) * 100)).toFixed(2)}%`;
  const attempts = facts.attempts.map((a) => {
    const end = a.endedAt ?? facts.span;
    const failed = a.status === null || a.error !== null;
    const bar = html`<div class="lane" role="img" aria-label="attempt ${a.attempt} from ${formatMs(a.startedAt)} to ${a.endedAt === null ? 'the end' : formatMs(a.endedAt)}"><span${failed ? new SafeHtml(' class="failed"') : ''} style="left: ${percent(a.startedAt)}; width: ${percent(end - a.startedAt)}"></span></div>`;
    return html`<tr><td>${a.attempt}</td><td>${formatMs(a.startedAt)}</td><td>${formatMs(a.responseAt)}</td><td>${a.status ?? a.error ?? 'no response'}</td><td>${a.endedAt === null ? 'still open' : formatMs(a.endedAt)}${a.bodyEnd ? ` (${a.bodyEnd})` : ''}</td><td>${bar}</td></tr>`;
  });
  const states = stream.readyStates.map((s) => `${formatMs(s.at)} ${READY_STATE_NAMES[s.state] ?? s.state}`).join(' → ');
  const facts2 = [
    html`<li>Time to first byte: ${formatMs(facts.timeToFirstByte)}</li>`,
    html`<li>First event: ${facts.firstEventAt === null ? 'none' : formatMs(facts.firstEventAt)}</li>`,
    facts.reconnectIntervals.length > 0 ? html`<li>${plural(facts.reconnectIntervals.length, 'reconnect')} ${intervalRange(facts.reconnectIntervals)}</li>` : null,
    stream.retryValues.length > 0 ? html`<li><code>retry:</code> ${retryValuesText(stream.retryValues)}</li>` : null,
    states ? html`<li>readyState: ${states}</li>` : null,
    stream.observedFor !== null ? html`<li>Watched for ${formatMs(stream.observedFor)}</li>` : null,
  ];
  return html`<ul>${facts2}</ul>
<table>
<caption>Attempts (times since the stream was first seen)</caption>
<thead><tr><th scope="col">Attempt</th><th scope="col">Started</th><th scope="col">Response</th><th scope="col">Status</th><th scope="col">Ended</th><th scope="col">Span</th></tr></thead>
<tbody>${attempts}</tbody>
</table>`;
}

function messages(stream: ReportStream, limits: ExportLimits): SafeHtml {
  const { shown, omitted } = bounded(stream.events, limits.eventsPerStream);
  const notKept = omitted + stream.eventsOmitted + stream.droppedEvents;
  if (shown.length === 0) return html`<p class="muted">No messages${notKept > 0 ? ` shown; ${notKept} not kept` : ''}.</p>`;
  const rows = shown.map(
    (e) => html`<tr><td>${formatMs(e.at)}</td><td>${e.attempt}</td><td class="mono">${cut(e.type, 200)}</td><td class="mono">${e.id === null ? '' : cut(e.id, 200)}</td><td class="mono">${cut(e.data, limits.textLength)}${e.dataTruncated ? ' …' : ''}</td></tr>`,
  );
  return html`<table>
<caption>Messages</caption>
<thead><tr><th scope="col">Time</th><th scope="col">Attempt</th><th scope="col">Type</th><th scope="col">id</th><th scope="col">Data</th></tr></thead>
<tbody>${rows}${omittedRow(notKept, 5, 'messages')}</tbody>
</table>`;
}

function streamSection(stream: ReportStream, index: number, platform: Platform, limits: ExportLimits): SafeHtml {
  const id = `stream-${index + 1}`;
  const findings = bounded(sortedFindings(stream), limits.findingsPerStream);
  const exchanges = bounded(stream.exchanges, limits.exchangesPerStream);
  const marks = headerMarks(stream.exchanges, stream.findings);
  const snippets = new Set<string>();
  return html`<section id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${index + 1}. <code>${cut(stream.url, 1000)}</code></h2>
<p>${cut(clientLine(stream), limits.textLength)}${stream.observed ? html`; observed in the browser: ${outcome(stream.observed)}` : null}${stream.startedAt ? `; first seen ${stream.startedAt}` : ''}</p>
<h3>Diagnosis</h3>
${verdicts(stream, limits)}
${findings.shown.length === 0 ? html`<p>No problems found: both browsers receive this stream and no rule has anything to say.</p>` : findings.shown.map((f) => finding(stream, f, platform, snippets, limits))}
${findings.omitted > 0 ? html`<p class="muted">${findings.omitted} more findings omitted.</p>` : null}
<h3>Headers</h3>
${exchanges.shown.map((e, i) => exchange(e, i, marks[i], limits))}
${exchanges.omitted > 0 ? html`<p class="muted">${exchanges.omitted} more exchanges omitted.</p>` : null}
<h3>Timeline</h3>
${timeline(stream)}
<h3>Messages</h3>
${messages(stream, limits)}
</section>`;
}

/** The whole report as one self-contained HTML document. */
export function formatHtml(input: Report, options: ExportOptions = {}): string {
  const report = prepared(input, options);
  const limits = limitsOf(options.limits);
  const platform = options.platform ?? 'express';
  const counts = reportCounts(report);
  const details = bounded(report.streams, limits.streams);
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>SSE Inspector report: ${plural(report.streams.length, 'stream')}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<header>
<h1>SSE Inspector report</h1>
<p>${plural(report.streams.length, 'stream')}: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info. Written by sse-inspector ${cut(report.tool.version, 50)} at ${cut(report.generatedAt, 50)}.</p>
<p class="note">${report.redacted ? html`Secrets are redacted: each <code>[redacted:…]</code> marker keeps a short hash, so equal values share a marker.` : html`<strong>Not redacted:</strong> this report holds Authorization headers, cookies and tokens as they were captured.`}</p>
</header>
<main>
${report.streams.length === 0 ? html`<p>No event streams found.</p>` : summary(report, limits)}
${details.shown.map((stream, i) => streamSection(stream, i, platform, limits))}
${details.omitted > 0 ? html`<p class="muted">${details.omitted} more streams omitted from the details.</p>` : null}
</main>
</body>
</html>
`;
  return document.markup;
}
