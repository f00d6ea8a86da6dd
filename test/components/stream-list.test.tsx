// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { demoFeed } from '@/lib/panel/demo-feed';
import { contract, findings, renderPanel, rowFor, rows } from './render-panel';

afterEach(cleanup);

describe('stream list', () => {
  it('renders one row per stream with the DOM contract attributes', async () => {
    await renderPanel(demoFeed());
    expect(rows()).toHaveLength(8);
    const wildcard = rowFor('/sse/acao-wildcard');
    expect(contract(wildcard)).toEqual({ url: 'http://127.0.0.1:18081/sse/acao-wildcard', outcome: 'blocked', corsError: 'WildcardOriginNotAllowed', firefoxReason: 'CORSNotSupportingCredentials', attempts: '1' });
    expect(contract(rowFor('/sse/ok'))).toMatchObject({ outcome: 'open', corsError: '', firefoxReason: '', attempts: '1' });
    expect(contract(rowFor('/sse/ends-immediately'))).toMatchObject({ outcome: 'reconnecting', attempts: '6' });
    expect(contract(rowFor('/sse/wrong-mime'))).toMatchObject({ outcome: 'failed', corsError: '', firefoxReason: '' });
    expect(within(wildcard).getByText('blocked').className).toContain('outcome-blocked');
  });

  it('shows both browsers only where they disagree', async () => {
    await renderPanel(demoFeed());
    const splits = screen.getAllByTestId('verdict-split');
    expect(splits).toHaveLength(1);
    expect(rowFor('/sse/charset-latin1').textContent).toContain('Chromium failed · Firefox open');
    expect(splits[0]!.title).toBe('Chromium failed, Firefox open');
  });

  it('selects the first problem stream when the panel opens, with its diagnosis', async () => {
    await renderPanel(demoFeed());
    expect(rowFor('/sse/acao-wildcard').getAttribute('aria-selected')).toBe('true');
    expect(findings().map((f) => [f.dataset.ruleId, f.dataset.severity])).toEqual([['acao-wildcard-with-credentials', 'error']]);
  });

  it('moves the selection with the arrow keys, Home and End', async () => {
    await renderPanel(demoFeed());
    const grid = screen.getByRole('grid', { name: 'Event streams' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(rowFor('/sse/acao-missing').getAttribute('aria-selected')).toBe('true');
    expect(grid.getAttribute('aria-activedescendant')).toBe(rowFor('/sse/acao-missing').id);
    expect(findings()[0]?.dataset.ruleId).toBe('acao-missing');
    fireEvent.keyDown(grid, { key: 'End' });
    expect(rowFor('/sse/status-500').getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(grid, { key: 'Home' });
    fireEvent.keyDown(grid, { key: 'ArrowUp' });
    expect(rowFor('/sse/ok').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByText(/No problems found/)).toBeTruthy();
  });

  it('selects a stream on click', async () => {
    await renderPanel(demoFeed());
    fireEvent.click(rowFor('/sse/wrong-mime'));
    expect(findings().map((f) => f.dataset.ruleId)).toEqual(['content-type-not-event-stream', 'vary-origin-missing']);
  });

  it('filters by URL text, outcome and problems, and teaches when nothing matches', async () => {
    await renderPanel(demoFeed());
    fireEvent.input(screen.getByTestId('url-filter'), { target: { value: 'ACAO' } });
    expect(rows().map((r) => r.dataset.url)).toEqual(['http://127.0.0.1:18081/sse/acao-wildcard', 'http://127.0.0.1:18081/sse/acao-missing']);
    fireEvent.input(screen.getByTestId('url-filter'), { target: { value: '' } });
    fireEvent.change(screen.getByTestId('outcome-filter'), { target: { value: 'failed' } });
    expect(rows().map((r) => r.dataset.outcome)).toEqual(['failed', 'failed', 'failed']);
    fireEvent.change(screen.getByTestId('outcome-filter'), { target: { value: 'all' } });
    fireEvent.click(screen.getByTestId('only-problems'));
    expect(rows().map((r) => r.dataset.url)).not.toContain('http://127.0.0.1:18081/sse/ok');
    expect(rows()).toHaveLength(7);
    fireEvent.input(screen.getByTestId('url-filter'), { target: { value: 'no-such-stream' } });
    expect(screen.getByTestId('empty-filtered')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(rows()).toHaveLength(8);
  });

  it('sorts by severity and remembers the sort', async () => {
    const { host } = await renderPanel(demoFeed());
    fireEvent.change(screen.getByTestId('sort'), { target: { value: 'severity' } });
    expect(rows().at(-1)?.dataset.url).toContain('/sse/ok');
    expect((await host.loadSettings()).sort).toBe('severity');
  });
});
