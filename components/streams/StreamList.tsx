import { useEffect, useRef } from 'preact/hooks';
import { usePanel } from '../app/store-context';
import { StreamRow, rowId } from './StreamRow';

/**
 * One row per stream, as a grid whose focus stays on the table while arrow keys move the
 * selection (aria-activedescendant), like DevTools' Network request list.
 */
export function StreamList() {
  const { store } = usePanel();
  const rows = store.visible.value;
  const selectedKey = store.selection.state.value.key;
  const table = useRef<HTMLTableElement>(null);
  const selectedIndex = rows.findIndex((row) => row.key === selectedKey);

  useEffect(() => {
    const row = selectedIndex < 0 ? null : table.current?.querySelector<HTMLElement>(`#${rowId(selectedIndex)}`);
    if (row && typeof row.scrollIntoView === 'function') row.scrollIntoView({ block: 'nearest' });
  }, [selectedIndex]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      store.step(event.key === 'ArrowDown' ? 1 : -1);
    } else if ((event.key === 'Home' || event.key === 'End') && rows.length > 0) {
      event.preventDefault();
      const edge = event.key === 'Home' ? rows[0] : rows[rows.length - 1];
      if (edge) store.selection.choose(edge.key);
    }
  };

  return (
    <div class="stream-list">
      <table
        ref={table}
        role="grid"
        aria-label="Event streams"
        aria-rowcount={rows.length + 1}
        aria-activedescendant={selectedIndex < 0 ? undefined : rowId(selectedIndex)}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="stream-list"
      >
        <thead>
          <tr>
            <th scope="col">Client</th>
            <th scope="col">URL</th>
            <th scope="col">Page origin</th>
            <th scope="col">Outcome</th>
            <th scope="col" class="num" title="Connection attempts">Att.</th>
            <th scope="col" class="num">Events</th>
            <th scope="col" class="num" title="Last activity">Activity</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((stream, index) => (
            <StreamRow key={stream.key} stream={stream} index={index} selected={index === selectedIndex} onChoose={() => store.selection.choose(stream.key)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
