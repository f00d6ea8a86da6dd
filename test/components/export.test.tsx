// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PanelRoot } from '@/components/app/PanelRoot';
import type { PanelFeed } from '@/lib/capture/captured';
import { demoFeed, demoStreams, firehoseStream } from '@/lib/panel/demo-feed';
import { createRecordedHost } from '@/lib/panel/recorded-host';
import { formatJson } from '@/lib/report/index';
import { hostileReport } from '../support/hostile-corpus';
import { FIXTURES, sampleReport } from '../lib/report/sample';
import { findings, rowFor, rows } from './render-panel';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** The panel as the entry points mount it (live capture, Import, read-only view), on a recorded feed. */
async function renderRoot(feed: readonly PanelFeed[]) {
  const host = createRecordedHost({ feed, toolVersion: '9.9.9' });
  render(<PanelRoot host={host} />);
  await screen.findByTestId(feed.length > 0 ? 'stream-list' : 'empty-nothing');
  return host;
}

/** Captures what the panel saves: the Blob handed to URL.createObjectURL and the file name. */
function captureDownloads() {
  const saved: { blob: Blob; name: string }[] = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    saved.push({ blob: blob as Blob, name: '' });
    return 'blob:export';
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const last = saved[saved.length - 1];
    if (last) last.name = this.download;
  });
  return saved;
}

/** Saves from the open Export menu and waits for the file (the exporters load on first use). */
async function save(saved: readonly { blob: Blob }[]) {
  const before = saved.length;
  fireEvent.click(screen.getByTestId('export-save'));
  await waitFor(() => expect(saved.length).toBe(before + 1));
}

function openExport(format: string, scope: 'listed' | 'selected' = 'listed') {
  fireEvent.click(screen.getByTestId('export-menu-button'));
  fireEvent.change(screen.getByTestId('export-format'), { target: { value: format } });
  fireEvent.change(screen.getByTestId('export-scope'), { target: { value: scope } });
}

async function importText(name: string, text: string) {
  const input = screen.getByTestId('import-file') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [new File([text], name, { type: 'application/json' })], configurable: true });
  fireEvent.change(input);
}

/** The read-only view is up when its banner names the file and its streams are listed. */
async function importedView(name: string, streams: number) {
  await waitFor(() => {
    expect(screen.getByTestId('read-only-banner').textContent).toContain(name);
    expect(rows()).toHaveLength(streams);
  });
}

describe('Export menu', () => {
  it('saves the listed streams as Markdown, redacted, named .md', async () => {
    const saved = captureDownloads();
    await renderRoot(demoFeed());
    fireEvent.input(screen.getByTestId('url-filter'), { target: { value: 'preflight' } });
    openExport('markdown');
    await save(saved);
    expect(saved[0]?.name).toMatch(/^sse-inspector-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.md$/);
    expect(saved[0]?.blob.type).toBe('text/markdown');
    const markdown = await saved[0]!.blob.text();
    expect(markdown.startsWith('# SSE Inspector report\n\n1 stream:')).toBe(true);
    expect(markdown).toContain('/sse/preflight-header');
    // The demo's fetch sends X-API-Key: demo-key.
    expect(markdown).not.toContain('demo-key');
    expect(markdown).toMatch(/X-API-Key: \\\[redacted:[0-9a-f]{8}\\\]/);
    expect(screen.queryByTestId('export-panel')).toBeNull();
  });

  it('saves only the selected stream when asked, in any format', async () => {
    const saved = captureDownloads();
    await renderRoot(demoFeed());
    fireEvent.click(rowFor('/sse/wrong-mime'));
    openExport('html', 'selected');
    await save(saved);
    const page = await saved[0]!.blob.text();
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page.match(/<section id="stream-\d+"/g)).toHaveLength(1);
    expect(page).toContain('/sse/wrong-mime');
  });

  it('warns before saving secrets, and saves them only when redaction is off', async () => {
    const saved = captureDownloads();
    await renderRoot(demoFeed());
    openExport('json');
    expect(screen.queryByTestId('export-warning')).toBeNull();
    fireEvent.click(screen.getByTestId('export-redact'));
    expect(screen.getByTestId('export-warning').textContent).toContain('Authorization headers, cookies and tokens exactly as captured');
    await save(saved);
    const report = JSON.parse(await saved[0]!.blob.text()) as { redacted?: boolean; streams: { observed?: string; startedAt?: string }[] };
    expect(report.redacted).toBeUndefined();
    expect(JSON.stringify(report)).toContain('demo-key');
    // What only the capture knows travels with the streams.
    expect(report.streams.map((s) => s.observed)).toEqual(demoStreams().map((s) => s.observed));
    expect(report.streams[0]?.startedAt).toBe('2026-11-25T20:00:00.000Z');
  });

  it('closes on Escape and gives the focus back to its button', async () => {
    await renderRoot(demoFeed());
    fireEvent.click(screen.getByTestId('export-menu-button'));
    expect(screen.getByTestId('export-menu-button').getAttribute('aria-expanded')).toBe('true');
    fireEvent.keyDown(screen.getByTestId('export-format'), { key: 'Escape' });
    expect(screen.queryByTestId('export-panel')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('export-menu-button'));
  });

  it('saves a 100,000-message stream bounded: the report keeps 1,000 messages and counts the rest', async () => {
    const saved = captureDownloads();
    await renderRoot([{ type: 'streams', streams: [firehoseStream(100_000)] }]);
    openExport('har');
    await save(saved);
    const har = JSON.parse(await saved[0]!.blob.text()) as { log: { entries: { _eventSourceMessages?: unknown[] }[]; _sseInspector: { streams: { eventsOmitted: number }[] } } };
    expect(har.log.entries[0]?._eventSourceMessages).toHaveLength(1000);
    expect(har.log._sseInspector.streams[0]?.eventsOmitted).toBe(99_000);
  });
});

describe('Copy as Markdown', () => {
  it('copies one finding, redacted, with its stream', async () => {
    const writeText = vi.fn(async (_text: string) => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await renderRoot(demoFeed());
    fireEvent.click(rowFor('/sse/preflight-header'));
    const card = findings().find((f) => f.dataset.ruleId === 'preflight-triggered-by-request-headers')!;
    fireEvent.click(within(card).getByTestId('copy-markdown'));
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(1));
    const text = writeText.mock.calls[0]![0];
    expect(text.startsWith('#### ')).toBe(true);
    expect(text).toContain('`preflight-triggered-by-request-headers`');
    expect(text).toContain('Stream: `http://127.0.0.1:18081/sse/preflight-header`');
    expect(text).not.toContain('demo-key');
    await waitFor(() => expect(within(card).getByTestId('copy-markdown').nextElementSibling?.textContent).toBe('Copied'));
  });
});

describe('Import', () => {
  it('reopens an exported JSON report read-only, then goes back to the live capture', async () => {
    const host = await renderRoot(demoFeed());
    const exported = formatJson(sampleReport());
    await importText('sample.json', exported);
    await importedView('sample.json', 6);
    expect(screen.getByTestId('read-only-banner').textContent).toContain('sample.json');
    expect(screen.getByTestId('read-only-banner').textContent).toContain('SSE Inspector 0.1.0, redacted');
    expect(rows().map((r) => r.getAttribute('data-url'))).toEqual((JSON.parse(exported) as { streams: { url: string }[] }).streams.map((s) => s.url));
    expect(screen.queryByTestId('record-button')).toBeNull();
    expect(screen.getByTestId('status-bar').textContent).toContain('read-only: imported file');
    // The diagnosis is this version's engine on the file's streams.
    fireEvent.click(rowFor('/sse/acao-wildcard'));
    expect(findings().map((f) => f.dataset.ruleId)).toEqual(['acao-wildcard-with-credentials']);
    expect(host.sent).toEqual([]);

    fireEvent.click(screen.getByTestId('close-import'));
    await waitFor(() => expect(rows()).toHaveLength(demoStreams().length));
    expect(screen.getByTestId('record-button')).toBeTruthy();
  });

  it('opens a HAR, ours exactly and a browser one as the HAR reader reads it', async () => {
    await renderRoot(demoFeed());
    await importText('sample.har', readFileSync(join(FIXTURES, 'sample.har'), 'utf8'));
    await importedView('sample.har', 6);
    expect(rowFor('/sse/reconnect-loop').getAttribute('data-attempts')).toBe('14');
    await importText('chrome.har', readFileSync(join(FIXTURES, '../har/chrome-blocked-missing-acao.har'), 'utf8'));
    await importedView('chrome.har (a HAR file)', 1);
  });

  it('says in one line why a file cannot be opened, and stays where it was', async () => {
    await renderRoot(demoFeed());
    await importText('notes.txt', 'hello');
    expect((await screen.findByTestId('import-error')).textContent).toBe('notes.txt: not valid JSON');
    await importText('empty.har', '{"log":{"entries":[]}}');
    await waitFor(() => expect(screen.getByTestId('import-error').textContent).toBe('empty.har has no event streams'));
    expect(rows()).toHaveLength(demoStreams().length);
    expect(screen.queryByTestId('read-only-banner')).toBeNull();
  });

  it('shows a hostile report as text, and exports it again', async () => {
    const saved = captureDownloads();
    await renderRoot(demoFeed());
    await importText('hostile.json', formatJson(hostileReport(), { redact: false }));
    await importedView('hostile.json', hostileReport().streams.length);
    expect(document.querySelectorAll('script, iframe, img, svg, object, embed, form, base, link[rel="stylesheet"]')).toHaveLength(0);
    expect(document.body.textContent).toContain('<script>window.__xss=1;console.log("XSS script")</script>');
    expect((window as unknown as { __xss?: unknown }).__xss).toBeUndefined();
    openExport('markdown');
    await save(saved);
    expect((await saved[0]!.blob.text()).startsWith('# SSE Inspector report')).toBe(true);
  });
});
