import { analyzeStreams } from '../../lib/engine';
import { stream } from '../../lib/model/builders';
import { buildReport, type Report } from '../../lib/report/index';
import type { ReportStream } from '../../lib/report/types';

/**
 * Captured data is hostile: servers choose header values, event names and data; pages choose
 * URLs, origins and request headers; an imported report chooses everything. These payloads are
 * put in every one of those places. Each one that runs leaves a trace the browser test watches
 * for: `window.__xss`, an alert dialog, a console line starting `XSS`, or a request to
 * 127.0.0.1:9 (the test intercepts every request).
 */
export const TRAP_HOST = 'http://127.0.0.1:9';

export const XSS_PAYLOADS: readonly string[] = [
  '<script>window.__xss=1;console.log("XSS script")</script>',
  '<img src="http://127.0.0.1:9/img.png" onerror="window.__xss=2">',
  '<svg onload="window.__xss=3"><circle r="1"/></svg>',
  '<iframe src="javascript:window.parent.__xss=4"></iframe>',
  '"><script>window.__xss=5</script>',
  "' onmouseover='window.__xss=6' autofocus onfocus='window.__xss=6' x='",
  '" onfocus="window.__xss=7" autofocus tabindex="1" x="',
  '</code></pre></td></tr></table><script>window.__xss=8</script>',
  '</style><script>window.__xss=9</script>',
  '</textarea></title><script>window.__xss=10</script>',
  '<!--<script>window.__xss=11</script>-->',
  '<details open ontoggle="window.__xss=12">',
  '<link rel="stylesheet" href="http://127.0.0.1:9/style.css">',
  '<style>body{background:url(http://127.0.0.1:9/bg.png)}</style>',
  '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/refresh">',
  '<base href="http://127.0.0.1:9/">',
  '<form action="http://127.0.0.1:9/form"><button>go</button></form>',
  'javascript:window.__xss=13',
  'data:text/html,<script>window.__xss=14</script>',
  '&lt;script&gt;window.__xss=15&lt;/script&gt;',
  '&#x3C;img src=x onerror=window.__xss=16&#x3E;',
  // Markdown: links, images, autolinks, code-span and fence breakouts, table cells, headings.
  '[click me](javascript:window.__xss=17)',
  '![pixel](http://127.0.0.1:9/md-image.png)',
  '<http://127.0.0.1:9/autolink>',
  '`` ` <img src="http://127.0.0.1:9/tick.png"> ` ``',
  '```\n<script>window.__xss=18</script>\n```',
  '| cell | <img src="http://127.0.0.1:9/cell.png"> |',
  '\n\n# heading <script>window.__xss=19</script>\n\n',
  '<a href="javascript:window.__xss=20">a</a>',
  '{{constructor.constructor("window.__xss=21")()}}',
  // Text that lies: bidi overrides (Trojan Source), zero-width and control characters, NUL.
  'admin\u202Egnp.exe\u202C \u2066safe\u2069 \u200Bzero\u200Dwidth \u0000nul \u001b[31mred\u001b[0m',
  // Broken markup.
  '<div><span></div></span><p <b =>',
];

/** One huge line: exports must cut it, not carry megabytes. */
export const HUGE_LINE = `${'<b>'.repeat(10)}${'A'.repeat(200_000)}`;

const ALL = XSS_PAYLOADS.join(' ');

/** A report whose every captured string (and, as an imported report would, every other string) is hostile. */
export function hostileReport(): Report {
  const records = XSS_PAYLOADS.map((payload, i) =>
    stream({
      id: `hostile-${i}`,
      url: `https://api.test/events/${i}/${payload}?q=${payload}`,
      pageOrigin: i % 2 === 0 ? 'https://app.test' : payload,
      client: i % 3 === 0 ? 'fetch' : 'eventsource',
      credentials: i % 4 === 0,
      requestHeaders: i % 3 === 0 ? [[`X-${i}`, payload], ['Authorization', `Bearer ${payload}`]] : [],
      acao: i % 2 === 0 ? payload : '*',
      headers: [['X-Payload', payload], [payload.replace(/[^A-Za-z]/g, '') || 'X-Empty', payload], ['Location', payload]],
      events: [
        { type: payload, data: payload, id: payload },
        { data: HUGE_LINE },
        { type: 'message', data: `{"token": "${payload.replace(/"/g, '\\"')}"}` },
      ],
      preflight: i % 5 === 0 ? { acao: payload, allowHeaders: payload } : undefined,
      redirects: i % 7 === 0 ? [{ location: `https://other.test/${payload}`, acao: payload }] : undefined,
    }),
  );
  const report = buildReport(analyzeStreams(records), { toolVersion: ALL, generatedAt: ALL, maxDataPreview: 300_000 });
  // What only an imported (hostile) report can carry: every text field the engine writes.
  const hostileStream = (s: ReportStream, i: number): ReportStream => {
    const payload = XSS_PAYLOADS[i % XSS_PAYLOADS.length] as string;
    return {
      ...s,
      id: payload,
      exchanges: s.exchanges.map((e) => ({ ...e, statusText: payload, error: payload, httpVersion: payload })),
      verdicts: {
        chromium: { ...s.verdicts.chromium, message: payload, console: [payload, HUGE_LINE] },
        firefox: { ...s.verdicts.firefox, message: payload, console: [payload] },
      },
      findings: [...s.findings, ...(s.findings.length === 0 ? [] : [s.findings[0]!])].map((f) => ({
        ...f,
        ruleId: payload,
        title: `${payload} \`${payload}\``,
        message: `${payload} \`code ${payload}\` ${HUGE_LINE}`,
        docsUrl: i % 2 === 0 ? 'javascript:window.__xss=30' : payload,
        data: { value: payload },
        evidence: [...f.evidence, { exchangeIndex: 0, side: 'response', header: payload, value: payload, lineIndex: 99, note: payload }],
        fix: { summary: payload, snippets: f.fix.snippets.map((snippet) => ({ ...snippet, language: payload as 'javascript', code: `${snippet.code}\n${payload}\n\`\`\`\`\n${payload}` })) },
      })),
    };
  };
  return { ...report, streams: report.streams.map(hostileStream) };
}
