import { useMemo, useState } from 'preact/hooks';
import type { CapturedStream } from '@/lib/capture/captured';
import { usePanel } from '../app/store-context';
import { MessageDetail } from './MessageDetail';
import { MessageTable } from './MessageTable';
import { searchEvents } from './view';

/** Every event of the stream in a virtualized table, with search and a text / JSON view of the selected one. */
export function MessagesTab({ stream }: { readonly stream: CapturedStream }) {
  const { store } = usePanel();
  const { events, droppedEvents } = stream.record;
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const hits = useMemo(() => searchEvents(events, query), [events, query]);
  const count = hits ? hits.length : events.length;
  const eventAt = (row: number) => (hits ? (hits[row] ?? -1) : row);
  const selectedEvent = selected === null ? undefined : events[selected];

  if (events.length === 0) {
    return <p class="tab-empty">No events received{droppedEvents > 0 ? ` (${droppedEvents} not kept by the capture limit)` : ''}.</p>;
  }
  return (
    <div class="messages" data-testid="messages">
      <div class="messages-bar">
        <input type="search" aria-label="Search messages" placeholder="Search type, id, data" value={query} onInput={(e) => setQuery(e.currentTarget.value)} data-testid="message-search" />
        <span class="muted" role="status" data-testid="message-count">
          {hits ? `${count} of ${events.length}` : `${events.length}`} {events.length === 1 ? 'message' : 'messages'}
          {droppedEvents > 0 ? `, ${droppedEvents} not kept` : ''}
        </span>
      </div>
      <MessageTable events={events} count={count} eventAt={eventAt} selected={selected} onSelect={setSelected} />
      {selectedEvent ? (
        <MessageDetail event={selectedEvent} view={store.settings.state.value.messageView} onView={(messageView) => store.settings.set({ messageView })} />
      ) : null}
    </div>
  );
}
