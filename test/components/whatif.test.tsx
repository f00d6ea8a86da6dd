// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stream } from '@/lib/model/builders';
import { capturedStream, demoFeed, DEMO_PAGE_ORIGIN, demoStreams } from '@/lib/panel/demo-feed';
import { renderPanel, rowFor, tab } from './render-panel';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** The DOM contract of the two verdicts: outcome and each browser's own error name. */
function verdicts() {
  return Object.fromEntries(
    screen.getAllByTestId('whatif-verdict').map((v) => [
      v.getAttribute('data-browser'),
      { outcome: v.getAttribute('data-outcome'), name: v.getAttribute('data-cors-error') ?? v.getAttribute('data-reason') },
    ]),
  );
}

const headersOf = (exchange: string) => screen.getAllByTestId('whatif-response-headers').find((t) => t.getAttribute('data-exchange') === exchange) as HTMLTextAreaElement;
const type = (element: HTMLElement, value: string) => fireEvent.input(element, { target: { value } });

async function openWhatIf(urlPart = '/sse/acao-wildcard') {
  const rendered = await renderPanel(demoFeed());
  fireEvent.click(rowFor(urlPart));
  fireEvent.click(tab('What if'));
  // The editor's code loads when its tab is first opened: the first test pays for transforming the
  // chunk, which takes over the default second on a loaded machine.
  await screen.findByTestId('whatif', {}, { timeout: 10_000 });
  return rendered;
}

describe('What if tab', () => {
  it('is prefilled from the capture, through its DOM contract', async () => {
    await openWhatIf();
    expect(screen.getByTestId('whatif')).toBeTruthy();
    expect((screen.getByTestId('whatif-origin') as HTMLInputElement).value).toBe(DEMO_PAGE_ORIGIN);
    expect((screen.getByTestId('whatif-credentials') as HTMLInputElement).checked).toBe(true);
    expect(screen.getAllByTestId('whatif-response-headers').map((t) => t.getAttribute('data-exchange'))).toEqual(['final']);
    expect(headersOf('final').value).toBe('Content-Type: text/event-stream\nAccess-Control-Allow-Origin: *');
    expect(verdicts()).toEqual({
      chromium: { outcome: 'blocked', name: 'WildcardOriginNotAllowed' },
      firefox: { outcome: 'blocked', name: 'CORSNotSupportingCredentials' },
    });
  });

  it('recomputes both verdicts as the headers are typed, beside the captured ones', async () => {
    await openWhatIf();
    type(headersOf('final'), `Content-Type: text/event-stream\nAccess-Control-Allow-Origin: ${DEMO_PAGE_ORIGIN}`);
    expect(verdicts()).toEqual({
      chromium: { outcome: 'blocked', name: 'InvalidAllowCredentials' },
      firefox: { outcome: 'blocked', name: 'CORSMissingAllowCredentials' },
    });
    type(headersOf('final'), `Content-Type: text/event-stream\nAccess-Control-Allow-Origin: ${DEMO_PAGE_ORIGIN}\nAccess-Control-Allow-Credentials: true`);
    expect(verdicts()).toEqual({ chromium: { outcome: 'open', name: '' }, firefox: { outcome: 'open', name: '' } });
    const chromium = screen.getAllByTestId('whatif-verdict')[0] as HTMLElement;
    expect(chromium.textContent).toBe('Chromium: captured blockedWildcardOriginNotAllowed → open at the final response');
    expect(screen.getByTestId('whatif-resolved').textContent).toContain('acao-wildcard-with-credentials');
  });

  it('marks a malformed line in place with its reason and keeps the rest of the edit', async () => {
    await openWhatIf();
    type(headersOf('final'), 'Content-Type: text/event-stream\nAccess-Control-Allow-Origin *\nX-Trace: 1');
    const problem = screen.getByTestId('whatif-problem');
    expect(problem.getAttribute('data-line')).toBe('2');
    expect(problem.getAttribute('data-exchange')).toBe('final');
    expect(problem.textContent).toBe('line 2: no colon: a header line is `Name: value`');
    expect(headersOf('final').getAttribute('aria-invalid')).toBe('true');
    // The bad line is left out: no ACAO at all now, and the text is kept exactly as typed.
    expect(verdicts().chromium).toEqual({ outcome: 'blocked', name: 'MissingAllowOriginHeader' });
    expect(headersOf('final').value).toBe('Content-Type: text/event-stream\nAccess-Control-Allow-Origin *\nX-Trace: 1');
    const gutter = headersOf('final').parentElement?.querySelector('.gutter-problem');
    expect(gutter?.getAttribute('title')).toBe('no colon: a header line is `Name: value`');
  });

  it('says when the page origin is not an origin, and keeps the captured one meanwhile', async () => {
    await openWhatIf();
    type(screen.getByTestId('whatif-origin'), 'http://localhost:18080/');
    expect(screen.getByTestId('whatif-origin-problem').textContent).toContain('not a serialized origin');
    expect(verdicts().chromium.name).toBe('WildcardOriginNotAllowed');
  });

  it('changes the credentials mode and the client', async () => {
    await openWhatIf();
    fireEvent.click(screen.getByTestId('whatif-credentials'));
    expect(verdicts()).toEqual({ chromium: { outcome: 'open', name: '' }, firefox: { outcome: 'open', name: '' } });
    fireEvent.change(screen.getByTestId('whatif-client'), { target: { value: 'fetch' } });
    const requestHeaders = screen.getByTestId('whatif-request-headers') as HTMLTextAreaElement;
    expect(requestHeaders.disabled).toBe(false);
    type(requestHeaders, 'X-API-Key: demo');
    // A custom header needs a preflight the capture never saw: assumed to pass until added.
    expect(screen.getByTestId('whatif-preflight-missing')).toBeTruthy();
    fireEvent.click(screen.getByTestId('whatif-add-preflight'));
    expect(headersOf('preflight').value).toBe('');
    expect(verdicts().chromium).toEqual({ outcome: 'blocked', name: 'PreflightMissingAllowOriginHeader' });
  });

  it('"Try this fix" puts the fix\'s headers in the editor; Reset returns to the capture', async () => {
    await openWhatIf();
    const finding = screen.getAllByTestId('whatif-finding').find((f) => f.getAttribute('data-rule-id') === 'acao-wildcard-with-credentials') as HTMLElement;
    fireEvent.click(within(finding).getByTestId('whatif-try-fix'));
    expect(headersOf('final').value.split('\n')).toEqual([
      'Vary: Origin',
      `Access-Control-Allow-Origin: ${DEMO_PAGE_ORIGIN}`,
      'Access-Control-Allow-Credentials: true',
      'Content-Type: text/event-stream; charset=utf-8',
      'Cache-Control: no-cache, no-transform',
      'X-Accel-Buffering: no',
    ]);
    expect(verdicts()).toEqual({ chromium: { outcome: 'open', name: '' }, firefox: { outcome: 'open', name: '' } });
    expect(screen.queryAllByTestId('whatif-finding')).toHaveLength(0);

    fireEvent.click(screen.getByTestId('whatif-reset'));
    expect(headersOf('final').value).toBe('Content-Type: text/event-stream\nAccess-Control-Allow-Origin: *');
    expect(verdicts().chromium.outcome).toBe('blocked');
    expect((screen.getByTestId('whatif-reset') as HTMLButtonElement).disabled).toBe(true);
  });

  it('keeps the edits of each stream while other tabs and streams are looked at', async () => {
    await openWhatIf();
    type(headersOf('final'), 'Content-Type: text/event-stream');
    fireEvent.click(tab('Diagnosis'));
    fireEvent.click(rowFor('/sse/acao-missing'));
    fireEvent.click(tab('What if'));
    await screen.findByTestId('whatif');
    expect(headersOf('final').value).toBe('Content-Type: text/event-stream');
    fireEvent.click(rowFor('/sse/acao-wildcard'));
    expect(headersOf('final').value).toBe('Content-Type: text/event-stream');
    expect((screen.getByTestId('whatif-reset') as HTMLButtonElement).disabled).toBe(false);
  });

  it('edits every exchange of a preflighted fetch by its slot', async () => {
    await openWhatIf('/sse/preflight-header');
    expect(screen.getAllByTestId('whatif-response-headers').map((t) => t.getAttribute('data-exchange'))).toEqual(['preflight', 'final']);
    expect(verdicts().chromium).toEqual({ outcome: 'blocked', name: 'HeaderDisallowedByPreflightResponse' });
    type(headersOf('preflight'), `${headersOf('preflight').value}\nAccess-Control-Allow-Headers: X-API-Key`);
    expect(verdicts()).toEqual({ chromium: { outcome: 'open', name: '' }, firefox: { outcome: 'open', name: '' } });
    const status = screen.getAllByTestId('whatif-status').find((s) => s.getAttribute('data-exchange') === 'preflight') as HTMLInputElement;
    type(status, '401');
    expect(verdicts()).toEqual({ chromium: { outcome: 'blocked', name: 'PreflightInvalidStatus' }, firefox: { outcome: 'blocked', name: 'CORSPreflightDidNotSucceed' } });
  });

  it('follows the live capture until the first edit', async () => {
    const { host } = await openWhatIf('/sse/acao-missing');
    const missing = demoStreams().find((s) => s.key === 'acao-missing')!;
    const record = { ...missing.record, exchanges: missing.record.exchanges.map((e) => ({ ...e, responseHeaders: [...e.responseHeaders, ['X-Late', '1'] as const] })) };
    act(() => host.push({ type: 'streams', streams: [capturedStream(record, { key: missing.key, revision: 5 })] }));
    expect(headersOf('final').value).toContain('X-Late: 1');
  });

  it('exports the edited scenario as a report marked as a what-if, and shows the command that reads it', async () => {
    let saved: Blob | null = null;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved = blob as Blob;
      return 'blob:scenario';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    await openWhatIf();
    fireEvent.click(screen.getByTestId('whatif-credentials'));
    fireEvent.click(screen.getByTestId('whatif-export'));
    expect(saved).not.toBeNull();
    const report = JSON.parse(await saved!.text()) as { streams: { verdicts: { chromium: { outcome: string } }; whatIf: { basedOn: string; edits: { field: string }[] } }[] };
    expect(report.streams[0]?.verdicts.chromium.outcome).toBe('open');
    expect(report.streams[0]?.whatIf.basedOn).toBe('acao-wildcard');
    expect(report.streams[0]?.whatIf.edits.map((e) => e.field)).toEqual(['credentials']);
    expect(screen.getByTestId('whatif-command').textContent).toMatch(/^sse-inspector analyze sse-inspector-what-if-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.json$/);
  });

  it('"Try this fix" on a Diagnosis finding opens What if with the fix in the editor', async () => {
    await renderPanel(demoFeed());
    fireEvent.click(rowFor('/sse/acao-missing'));
    const [finding] = screen.getAllByTestId('finding');
    fireEvent.click(within(finding!).getByTestId('try-fix'));
    expect(tab('What if').getAttribute('aria-selected')).toBe('true');
    await screen.findByTestId('whatif');
    expect(headersOf('final').value).toContain(`Access-Control-Allow-Origin: ${DEMO_PAGE_ORIGIN}`);
    expect(verdicts()).toEqual({ chromium: { outcome: 'open', name: '' }, firefox: { outcome: 'open', name: '' } });
  });

  it('shows a fetch refused at its preflight with its preflight and a final response marked as assumed, and fixes both', async () => {
    const preflighted = stream({ id: 'refused', url: 'https://api.test/events', pageOrigin: 'https://app.test', client: 'fetch', requestHeaders: [['X-API-Key', 'demo']], preflight: { acao: 'https://app.test', acac: 'true', allowMethods: 'GET' } });
    const refused = { ...preflighted, exchanges: preflighted.exchanges.filter((e) => e.kind === 'preflight') };
    await renderPanel([{ type: 'streams', streams: [capturedStream(refused)] }]);
    fireEvent.click(tab('What if'));
    await screen.findByTestId('whatif');
    const fieldsets = screen.getAllByTestId('whatif-exchange');
    expect(fieldsets.map((f) => [f.getAttribute('data-exchange'), f.getAttribute('data-captured')])).toEqual([
      ['preflight', 'true'],
      ['final', 'false'],
    ]);
    expect(screen.getByTestId('whatif-assumed').textContent).toContain('Not captured: the browser never sent this request (it was refused at its preflight)');
    expect(headersOf('final').value).toBe('Content-Type: text/event-stream\nCache-Control: no-cache\nAccess-Control-Allow-Origin: https://app.test\nAccess-Control-Allow-Credentials: true');
    const where = () => screen.getAllByTestId('whatif-verdict').map((v) => [v.getAttribute('data-decided-at'), v.getAttribute('data-assumed')]);
    expect(verdicts().chromium).toEqual({ outcome: 'blocked', name: 'HeaderDisallowedByPreflightResponse' });
    expect(where()).toEqual([['preflight', 'false'], ['preflight', 'false']]);

    const finding = screen.getAllByTestId('whatif-finding').find((f) => f.getAttribute('data-rule-id') === 'preflight-header-not-allowed') as HTMLElement;
    fireEvent.click(within(finding).getByTestId('whatif-try-fix'));
    expect(headersOf('preflight').value).toContain('Access-Control-Allow-Headers: x-api-key');
    expect(headersOf('final').value).toContain('Content-Type: text/event-stream; charset=utf-8');
    expect(verdicts()).toEqual({ chromium: { outcome: 'open', name: '' }, firefox: { outcome: 'open', name: '' } });
    // Past the preflight, both verdicts rest on the final response nobody saw: the verdict says so.
    expect(where()).toEqual([['final', 'true'], ['final', 'true']]);
    expect(screen.getAllByTestId('whatif-verdict-where')[0]?.textContent).toBe(' at the final response, which is assumed: the browser never sent that request');
    // Still editable: without Access-Control-Allow-Origin the assumed response would block.
    type(headersOf('final'), 'Content-Type: text/event-stream');
    expect(verdicts().chromium).toEqual({ outcome: 'blocked', name: 'MissingAllowOriginHeader' });
  });

  it('edits the stream URL and the fetch method, and says when either cannot be used', async () => {
    await openWhatIf('/sse/preflight-header');
    const url = screen.getByTestId('whatif-url') as HTMLInputElement;
    const method = screen.getByTestId('whatif-method') as HTMLInputElement;
    expect([url.value.includes('/sse/preflight-header'), method.value, method.disabled]).toEqual([true, 'GET', false]);
    type(url, 'not a url');
    expect(screen.getByTestId('whatif-url-problem').textContent).toBe('not a URL: expected an absolute http:// or https:// URL; the captured URL is used meanwhile.');
    // The page's own origin: same-origin, so neither CORS nor the preflight applies any more.
    type(url, `${DEMO_PAGE_ORIGIN}/sse/preflight-header`);
    expect(screen.queryByTestId('whatif-url-problem')).toBeNull();
    expect(verdicts()).toEqual({ chromium: { outcome: 'open', name: '' }, firefox: { outcome: 'open', name: '' } });
    type(method, 'TRACE');
    expect(screen.getByTestId('whatif-method-problem').textContent).toBe('fetch() refuses TRACE: it throws before sending anything; the captured method is used meanwhile.');
    fireEvent.change(screen.getByTestId('whatif-client'), { target: { value: 'eventsource' } });
    expect([method.value, method.disabled]).toEqual(['GET', true]);
    expect(screen.queryByTestId('whatif-method-problem')).toBeNull();
  });

  it('never renders typed or captured text as markup', async () => {
    const hostile = capturedStream(stream({ id: 'x', url: 'https://api.test/<b>x</b>', pageOrigin: 'https://app.test', acao: '<img src=x onerror=alert(1)>' }));
    const { view } = await renderPanel([{ type: 'streams', streams: [hostile] }]);
    fireEvent.click(tab('What if'));
    await screen.findByTestId('whatif');
    type(headersOf('final'), '<script>alert(1)</script>: x\nX-A: <img src=x>');
    expect(screen.getByTestId('whatif-problem').textContent).toContain('"<script>alert(1)</script>" is not a header name');
    expect(view.container.querySelector('img, script, b')).toBeNull();
  });
});
