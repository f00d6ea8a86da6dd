import { render } from 'preact';
import { PanelRoot } from '@/components/app/PanelRoot';
import { demoFeed, firehoseStream } from '@/lib/panel/demo-feed';
import { createRecordedHost } from '@/lib/panel/recorded-host';

/**
 * The panel in a plain page, fed by a recorded capture: the demo without an extension, and the
 * page UI tests and screenshots load. Query: theme=light|dark, feed=demo|empty, paused=1,
 * firehose=<events> (adds a stream with that many messages).
 */
const query = new URLSearchParams(location.search);
const theme = query.get('theme');
const firehose = Number(query.get('firehose') ?? 0);
const feed = query.get('feed') === 'empty' ? [] : demoFeed();
if (firehose > 0) feed.push({ type: 'streams', streams: [firehoseStream(firehose)] });

const host = createRecordedHost({
  feed,
  theme: theme === 'dark' || theme === 'light' ? theme : null,
  recording: query.get('paused') !== '1',
  storage: localStorage,
  reloadInspectedPage: () => location.reload(),
});
// Tests and benchmarks drive further feed messages through this handle.
Object.assign(window, { panelDemo: { host, feed } });

const root = document.getElementById('app');
if (root) render(<PanelRoot host={host} />, root);
