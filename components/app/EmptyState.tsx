import type { ComponentChildren } from 'preact';
import { usePanel } from './store-context';

/** What to do when the list is empty: each case says why it is empty and how to fill it. */
export function EmptyState() {
  const { store, host } = usePanel();
  const capture = store.capture.value;
  const total = store.streams.value.byKey.size;

  if (!capture.connected) {
    return <Empty testId="empty-connecting" title="Connecting to the capture…" />;
  }
  if (total > 0) {
    return (
      <Empty testId="empty-filtered" title="No stream matches the filters.">
        <button type="button" class="tool-button" onClick={() => store.filters.set({ text: '', outcome: 'all', onlyProblems: false })}>
          Clear filters
        </button>
      </Empty>
    );
  }
  if (!capture.recording) {
    return (
      <Empty testId="empty-paused" title="Capture is paused.">
        <p>Streams opened while paused are not captured. Press Record in the toolbar to capture again.</p>
      </Empty>
    );
  }
  return (
    <Empty testId="empty-nothing" title="No event streams captured yet.">
      {capture.lastReset === 'navigated' ? (
        <p>The page navigated and the list was emptied. Turn on “Preserve log” to keep streams across navigations.</p>
      ) : null}
      <p>
        Streams appear here as soon as the page opens an <code>EventSource</code> or a streaming <code>fetch()</code>. A stream opened
        before DevTools was open can miss its start (preflight, first response):{' '}
        {host.reloadInspectedPage ? 'reload the page to capture it from the start.' : 'reload the page (F5) to capture it from the start.'}
      </p>
      {host.reloadInspectedPage ? (
        <button type="button" class="tool-button" onClick={host.reloadInspectedPage} data-testid="reload-page">
          Reload page
        </button>
      ) : null}
    </Empty>
  );
}

function Empty({ title, testId, children }: { title: string; testId: string; children?: ComponentChildren }) {
  return (
    <section class="empty" data-testid={testId} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
