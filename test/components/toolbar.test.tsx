// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoFeed, demoStreams } from '@/lib/panel/demo-feed';
import { renderPanel, rows } from './render-panel';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('toolbar and empty states', () => {
  it('teaches how to capture when nothing is captured yet, with a reload button where the host has one', async () => {
    const reload = vi.fn();
    await renderPanel([], { reloadInspectedPage: reload });
    expect(screen.getByTestId('empty-nothing').textContent).toContain('reload the page to capture it from the start');
    fireEvent.click(screen.getByTestId('reload-page'));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('says when capture is paused', async () => {
    await renderPanel([], { recording: false });
    expect(screen.getByTestId('empty-paused').textContent).toContain('Press Record');
    expect(screen.getByTestId('record-button').getAttribute('aria-pressed')).toBe('false');
  });

  it('pauses and resumes capture, clears, and preserves the log through host commands', async () => {
    const { host } = await renderPanel(demoFeed());
    fireEvent.click(screen.getByTestId('record-button'));
    expect(screen.getByTestId('record-button').getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByTestId('status-bar').textContent).toContain('capture paused');
    act(() => host.push({ type: 'streams', streams: [{ ...demoStreams()[0]!, key: 'while-paused' }] }));
    expect(rows()).toHaveLength(8);

    fireEvent.click(screen.getByTestId('preserve-log'));
    expect((screen.getByTestId('preserve-log') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByTestId('clear-button'));
    expect(rows()).toHaveLength(0);
    expect(screen.getByTestId('empty-paused')).toBeTruthy();
    fireEvent.click(screen.getByTestId('record-button'));
    expect(screen.getByTestId('empty-nothing')).toBeTruthy();
    expect(host.sent).toEqual([
      { type: 'set-recording', recording: false },
      { type: 'set-preserve-log', preserve: true },
      { type: 'clear' },
      { type: 'set-recording', recording: true },
    ]);
  });

  it('explains an empty list after a navigation', async () => {
    const { host } = await renderPanel(demoFeed());
    act(() => host.push({ type: 'reset', reason: 'navigated' }));
    expect(screen.getByTestId('empty-nothing').textContent).toContain('The page navigated');
  });

  it('shows streams arriving live and counts the dropped ones', async () => {
    const { host } = await renderPanel([]);
    act(() => host.push({ type: 'streams', streams: demoStreams().slice(0, 2) }));
    expect(rows()).toHaveLength(2);
    act(() => host.push({ type: 'dropped-streams', count: 4 }));
    expect(screen.getByTestId('status-bar').textContent).toContain('4 not kept');
  });

  it('exports the listed streams as the JSON report', async () => {
    let saved: Blob | null = null;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved = blob as Blob;
      return 'blob:report';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    await renderPanel(demoFeed(), { toolVersion: '9.9.9' });
    fireEvent.input(screen.getByTestId('url-filter'), { target: { value: 'acao' } });
    fireEvent.click(screen.getByTestId('export-menu-button'));
    fireEvent.change(screen.getByTestId('export-format'), { target: { value: 'json' } });
    fireEvent.click(screen.getByTestId('export-save'));
    // The exporters load on first use.
    await waitFor(() => expect(saved).not.toBeNull());
    const report = JSON.parse(await saved!.text()) as { schemaVersion: number; tool: { version: string }; streams: { url: string }[] };
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.version).toBe('9.9.9');
    expect(report.streams.map((s) => s.url)).toEqual(['http://127.0.0.1:18081/sse/acao-wildcard', 'http://127.0.0.1:18081/sse/acao-missing']);
  });

  it("follows the host's theme, else the system's", async () => {
    await renderPanel(demoFeed(), { theme: 'dark' });
    expect(screen.getByTestId('panel').dataset.theme).toBe('dark');
    cleanup();
    vi.spyOn(window, 'matchMedia').mockImplementation(
      (query: string) => ({ matches: query === '(prefers-color-scheme: dark)', media: query, addEventListener() {}, removeEventListener() {} }) as unknown as MediaQueryList,
    );
    await renderPanel(demoFeed());
    await waitFor(() => expect(screen.getByTestId('panel').dataset.theme).toBe('dark'));
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('follows DevTools when it switches theme while the panel is open (Firefox)', async () => {
    const { host } = await renderPanel(demoFeed(), { theme: 'light' });
    expect(screen.getByTestId('panel').dataset.theme).toBe('light');
    host.switchTheme('dark');
    // The page background follows in an effect, after the render.
    await waitFor(() => expect([screen.getByTestId('panel').dataset.theme, document.documentElement.dataset.theme]).toEqual(['dark', 'dark']));
    host.switchTheme('light');
    await waitFor(() => expect([screen.getByTestId('panel').dataset.theme, document.documentElement.dataset.theme]).toEqual(['light', 'light']));
  });
});
