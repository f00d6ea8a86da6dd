// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { demoFeed, firehoseStream } from '@/lib/panel/demo-feed';
import { openTab, renderPanel, rowFor, tab } from './render-panel';

afterEach(cleanup);

describe('detail tabs', () => {
  it('moves between tabs with the arrow keys', async () => {
    await renderPanel(demoFeed());
    const tablist = screen.getByRole('tablist');
    fireEvent.keyDown(tablist, { key: 'ArrowRight' });
    expect(tab('Headers').getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tablist, { key: 'End' });
    expect(tab('What if').getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tablist, { key: 'ArrowRight' });
    expect(tab('Diagnosis').getAttribute('aria-selected')).toBe('true');
  });

  it('Headers: every exchange in order, raw lines with duplicates, offending lines marked', async () => {
    await renderPanel(demoFeed());
    fireEvent.click(rowFor('/sse/preflight-header'));
    await openTab('Headers');
    expect(screen.getAllByTestId('exchange').map((e) => e.dataset.kind)).toEqual(['preflight', 'response']);
    const preflight = screen.getAllByTestId('exchange')[0]!;
    // The preflight answered without X-API-Key in Access-Control-Allow-Headers: that line is missing.
    expect(within(preflight).getByTestId('missing-header').dataset.header).toBe('access-control-allow-headers');

    fireEvent.click(rowFor('/sse/acao-wildcard'));
    const marked = screen.getAllByTestId('offending-header');
    expect(marked.map((m) => m.textContent)).toEqual(['▲ error, flagged by acao-wildcard-with-credentials: Access-Control-Allow-Origin: *']);
    expect(marked[0]!.className).toContain('mark-error');
  });

  it('Headers: keeps duplicate lines in wire order', async () => {
    const { stream } = await import('@/lib/model/builders');
    const { capturedStream } = await import('@/lib/panel/demo-feed');
    const doubled = capturedStream(stream({ id: 'dup', pageOrigin: 'https://app.test', acao: ['https://app.test', 'https://app.test'] }));
    await renderPanel([{ type: 'streams', streams: [doubled] }]);
    await openTab('Headers');
    const lines = screen.getAllByRole('listitem').map((li) => li.textContent);
    const flagged = '▲ error, flagged by acao-multiple-values: Access-Control-Allow-Origin: https://app.test';
    expect(lines).toEqual(['Content-Type: text/event-stream', flagged, flagged]);
  });

  it('Timeline: a retry loop shows every attempt, the interval and its cause', async () => {
    await renderPanel(demoFeed());
    fireEvent.click(rowFor('/sse/ends-immediately'));
    await openTab('Timeline');
    expect(screen.getByTestId('timeline-attempts').textContent).toBe('6');
    expect(screen.getByTestId('retry-interval').textContent).toBe('every 3.00 s, each attempt lasting 995 ms; cause: the server ends every response');
    expect(screen.getAllByTestId('reconnect-gap').map((g) => g.textContent)).toEqual(Array(5).fill('3.00 s'));
    expect(screen.getByTestId('ttfb').textContent).toBe('5 ms');
    // OPEN while each response lasts, CONNECTING through each reconnect delay: the loop is visible.
    expect(screen.getAllByTestId('ready-state').map((r) => r.textContent)).toEqual(['CONNECTING', ...Array(5).fill(['OPEN', 'CONNECTING']).flat(), 'OPEN']);
  });

  it('Timeline: time to first byte and first event of a working stream', async () => {
    await renderPanel(demoFeed());
    fireEvent.click(rowFor('/sse/ok'));
    await openTab('Timeline');
    expect(screen.getByTestId('first-event').textContent).toBe('after 20 ms');
    expect(screen.queryByTestId('retry-interval')).toBeNull();
  });

  it('Validate: the check and curl commands reproduce the stream', async () => {
    await renderPanel(demoFeed());
    await openTab('Validate');
    expect(screen.getByTestId('check-command').textContent).toBe(
      'sse-inspector check http://127.0.0.1:18081/sse/acao-wildcard --origin http://localhost:18080 --credentials',
    );
    expect(screen.getByTestId('curl-command').textContent).toContain("-H 'Origin: http://localhost:18080' http://127.0.0.1:18081/sse/acao-wildcard");
    fireEvent.click(rowFor('/sse/preflight-header'));
    expect(screen.getByTestId('preflight-command').textContent).toContain("'Access-Control-Request-Headers: x-api-key'");
    expect(screen.getByTestId('check-command').textContent).toContain("--client fetch -H 'X-API-Key: demo-key'");
  });
});

describe('Messages tab', () => {
  it('renders only the visible rows of 100,000 messages', async () => {
    await renderPanel([{ type: 'streams', streams: [firehoseStream(100_000)] }]);
    await openTab('Messages');
    expect(screen.getByTestId('message-count').textContent).toBe('100000 messages');
    const rendered = screen.getAllByTestId('message-row');
    expect(rendered.length).toBeLessThan(60);
    expect(screen.getByTestId('message-table').getAttribute('aria-rowcount')).toBe('100001');
  });

  it('searches type, id and data, and shows the selected message as text or pretty JSON', async () => {
    const { host } = await renderPanel([{ type: 'streams', streams: [firehoseStream(1000)] }]);
    await openTab('Messages');
    fireEvent.input(screen.getByTestId('message-search'), { target: { value: 'heartbeat' } });
    expect(screen.getByTestId('message-count').textContent).toBe('10 of 1000 messages');
    const rows = screen.getAllByTestId('message-row');
    expect(rows).toHaveLength(10);
    fireEvent.click(rows[0]!);
    expect(screen.getByTestId('message-data').textContent).toBe('{"seq":99,"symbol":"SSE","price":109.9}');
    fireEvent.click(screen.getByTestId('view-json'));
    expect(screen.getByTestId('message-data').textContent).toBe('{\n  "seq": 99,\n  "symbol": "SSE",\n  "price": 109.9\n}');
    expect((await host.loadSettings()).messageView).toBe('json');
  });

  it('moves through messages with the keyboard', async () => {
    await renderPanel([{ type: 'streams', streams: [firehoseStream(1000)] }]);
    await openTab('Messages');
    const table = screen.getByTestId('message-table');
    fireEvent.keyDown(table, { key: 'ArrowDown' });
    fireEvent.keyDown(table, { key: 'ArrowDown' });
    expect(screen.getByTestId('message-data').textContent).toContain('"seq":1,');
    fireEvent.keyDown(table, { key: 'End' });
    expect(screen.getByTestId('message-data').textContent).toContain('"seq":999,');
    expect(table.getAttribute('aria-activedescendant')).toBe('message-row-999');
  });
});

describe('detail state per stream', () => {
  it('starts a fresh message search on another stream', async () => {
    const { capturedStream } = await import('@/lib/panel/demo-feed');
    const { stream } = await import('@/lib/model/builders');
    const other = capturedStream(stream({ id: 'other', url: 'https://api.test/other', pageOrigin: 'https://app.test', acao: 'https://app.test', events: [{ data: 'one' }] }), { startedAt: 1 });
    await renderPanel([{ type: 'streams', streams: [firehoseStream(50), other] }]);
    fireEvent.click(rowFor('/sse/firehose'));
    await openTab('Messages');
    fireEvent.input(screen.getByTestId('message-search'), { target: { value: 'heartbeat' } });
    expect(screen.getByTestId('message-count').textContent).toBe('0 of 50 messages');
    fireEvent.click(rowFor('/other'));
    expect((screen.getByTestId('message-search') as HTMLInputElement).value).toBe('');
    expect(screen.getByTestId('message-count').textContent).toBe('1 message');
  });
});

describe('settings storage', () => {
  it('connects with default settings when the stored ones cannot be read', async () => {
    const storage = {
      getItem(): string | null {
        throw new Error('storage unavailable');
      },
      setItem() {},
    };
    await renderPanel(demoFeed(), { storage });
    expect(screen.getAllByTestId('stream-row')).toHaveLength(8);
  });
});
