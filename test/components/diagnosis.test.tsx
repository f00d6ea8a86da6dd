// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { demoFeed } from '@/lib/panel/demo-feed';
import { stream } from '@/lib/model/builders';
import { capturedStream } from '@/lib/panel/demo-feed';
import { findings, openTab, renderPanel, rowFor } from './render-panel';

afterEach(cleanup);

describe('Diagnosis tab', () => {
  it("shows each browser's own error name and console line, in the finding too", async () => {
    await renderPanel(demoFeed());
    const chromium = screen.getByTestId('verdict-chromium');
    expect(chromium.textContent).toContain('WildcardOriginNotAllowed');
    const [finding] = findings();
    const chromiumEffect = within(finding!).getByTestId('effect-chromium');
    const consoleLines = within(chromiumEffect).getAllByTestId('console-line').map((line) => line.textContent);
    expect(consoleLines[0]).toContain(
      "Access to resource at 'http://127.0.0.1:18081/sse/acao-wildcard' from origin 'http://localhost:18080' has been blocked by CORS policy",
    );
    expect(consoleLines[1]).toBe('Failed to load resource: net::ERR_FAILED');
    expect(screen.getByTestId('verdict-firefox').textContent).toContain('CORSNotSupportingCredentials');
    expect(chromiumEffect.textContent).toMatch(/^blockedWildcardOriginNotAllowedAccess to resource/);
    expect(within(finding!).getByTestId('effect-firefox').textContent).toMatch(/^blockedCORSNotSupportingCredentialsCross-Origin Request Blocked/);
    // The summary above the findings names the errors without repeating the console lines.
    expect(within(chromium).queryAllByTestId('console-line')).toHaveLength(0);
  });

  it('shows the console lines in the summary when no finding carries them', async () => {
    await renderPanel(demoFeed());
    fireEvent.click(rowFor('/sse/ok'));
    expect(within(screen.getByTestId('verdict-chromium')).getByText('No console message.')).toBeTruthy();
  });

  it('orders findings by severity and shows their evidence', async () => {
    await renderPanel(demoFeed());
    fireEvent.click(rowFor('/sse/ends-immediately'));
    expect(findings().map((f) => f.getAttribute('data-severity'))).toEqual(['error', 'warning', 'warning']);
    const evidence = within(findings()[0]!).getAllByTestId('evidence').map((e) => e.textContent);
    expect(evidence.length).toBeGreaterThan(0);
    fireEvent.click(rowFor('/sse/acao-wildcard'));
    expect(within(findings()[0]!).getByTestId('evidence').textContent).toBe('response #1 (attempt 1, 200)Access-Control-Allow-Origin: *');
  });

  it('renders the fix for the chosen platform, remembers the choice across panels', async () => {
    const items = new Map<string, string>();
    const storage = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
    await renderPanel(demoFeed(), { storage });
    // Each platform's renderer loads when it is first shown.
    let snippet = await screen.findByTestId('fix-snippet');
    expect(snippet.dataset.platform).toBe('express');
    expect(snippet.textContent).toContain('const allowedOrigins = new Set(["http://localhost:18080"]);');
    fireEvent.change(screen.getByTestId('platform-picker'), { target: { value: 'nginx' } });
    snippet = await waitFor(() => {
      const shown = screen.getByTestId('fix-snippet');
      expect(shown.dataset.platform).toBe('nginx');
      return shown;
    });
    expect(snippet.textContent).toContain('location');
    cleanup();

    await renderPanel(demoFeed(), { storage });
    expect((await screen.findByTestId('fix-snippet')).dataset.platform).toBe('nginx');
    expect((screen.getByTestId('platform-picker') as HTMLSelectElement).value).toBe('nginx');
  });

  it('says when the capture missed the start of a stream', async () => {
    const late = capturedStream(stream({ id: 'late', url: 'https://api.test/late', pageOrigin: 'https://app.test', acao: '*', credentials: true }), { beforeDevtools: true });
    await renderPanel([{ type: 'streams', streams: [late] }]);
    expect(screen.getByTestId('capture-notice').textContent).toContain('started before DevTools was open');
  });

  it('never renders captured text as markup', async () => {
    const hostile = capturedStream(
      stream({ id: 'x', url: 'https://api.test/<img src=x onerror=alert(1)>', pageOrigin: 'https://app.test', acao: '<b>bold</b>', headers: [['X-Evil', '<script>alert(1)</script>']], events: [{ data: '<img src=x onerror=alert(1)>' }] }),
    );
    const { view } = await renderPanel([{ type: 'streams', streams: [hostile] }]);
    expect(view.container.querySelector('img, script, b')).toBeNull();
    await openTab('Headers');
    expect(screen.getAllByTestId('exchange').length).toBeGreaterThan(0);
    expect(view.container.querySelector('img, script, b')).toBeNull();
    await openTab('Messages');
    fireEvent.click(screen.getByTestId('message-row'));
    expect(view.container.querySelector('img, script, b')).toBeNull();
    expect(screen.getByTestId('message-data').textContent).toBe('<img src=x onerror=alert(1)>');
  });
});
