import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { StreamEvent } from '@/lib/model/record';
import { formatBytes, formatDuration, visibleText } from '../controls/format';
import { dataPreview } from './view';

export const ROW_HEIGHT = 20;
/** Rows drawn above and below the viewport so fast scrolling shows no blank band. */
const OVERSCAN = 10;
/** Used until the viewport is measured (and where layout does not exist, such as unit tests). */
const FALLBACK_VIEWPORT = 320;

interface Props {
  readonly events: readonly StreamEvent[];
  /** Rows after search. */
  readonly count: number;
  /** The event index shown at a row. */
  eventAt(row: number): number;
  readonly selected: number | null;
  onSelect(eventIndex: number): void;
}

/**
 * Only the rows in view exist in the DOM (about 30 at a time, at 100 or 100,000 messages), placed
 * absolutely inside a spacer as tall as the whole list. While scrolled to the bottom it follows
 * new messages, like a log.
 */
export function MessageTable({ events, count, eventAt, selected, onSelect }: Props) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_VIEWPORT);
  const following = useRef(false);

  useEffect(() => {
    const element = viewport.current;
    if (!element || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight - ROW_HEIGHT || FALLBACK_VIEWPORT));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const element = viewport.current;
    if (element && following.current) element.scrollTop = (count + 1) * ROW_HEIGHT;
  }, [count]);

  const onScroll = (event: Event) => {
    const element = event.currentTarget as HTMLDivElement;
    following.current = element.scrollTop + element.clientHeight >= count * ROW_HEIGHT;
    setScrollTop(element.scrollTop);
  };

  const selectedRow = selected === null ? -1 : findRow(count, eventAt, selected);
  const moveTo = (row: number) => {
    const target = Math.max(0, Math.min(count - 1, row));
    const index = eventAt(target);
    if (index < 0) return;
    onSelect(index);
    const element = viewport.current;
    if (!element) return;
    const top = target * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + height) element.scrollTop = top + ROW_HEIGHT - height;
    setScrollTop(element.scrollTop);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const steps: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in steps) moveTo((selectedRow < 0 ? -1 : selectedRow) + (steps[event.key] ?? 0));
    else if (event.key === 'Home') moveTo(0);
    else if (event.key === 'End') moveTo(count - 1);
    else return;
    event.preventDefault();
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows = [];
  // Keyed by slot, not by event: a row that stays in view keeps its slot (and its DOM node), and a
  // row that scrolls in takes the node of the one that scrolled out, so a scroll or a followed
  // tail patches a screenful of text instead of building it anew.
  const slots = Math.max(1, last - first);
  for (let row = first; row < last; row++) {
    const index = eventAt(row);
    const event = events[index];
    if (!event) continue;
    rows.push(
      <div
        key={row % slots}
        role="row"
        id={`message-row-${row}`}
        aria-rowindex={row + 2}
        aria-selected={index === selected}
        class={`message-row ${index === selected ? 'selected' : ''}`}
        style={{ top: `${row * ROW_HEIGHT}px` }}
        onClick={() => onSelect(index)}
        data-testid="message-row"
      >
        <span role="gridcell" class="m-type">{visibleText(event.type)}</span>
        <span role="gridcell" class="m-id">{event.id === null ? '' : visibleText(event.id)}</span>
        <span role="gridcell" class="m-data">{dataPreview(event.data)}</span>
        <span role="gridcell" class="m-size num">{formatBytes(event.size)}</span>
        <span role="gridcell" class="m-time num">{formatDuration(event.at)}</span>
      </div>,
    );
  }

  // The grid is itself the scroll container, so the focusable element is the one that scrolls.
  return (
    <div
      ref={viewport}
      class="message-table"
      role="grid"
      aria-label="Messages"
      aria-rowcount={count + 1}
      aria-activedescendant={selectedRow >= first && selectedRow < last ? `message-row-${selectedRow}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onScroll={onScroll}
      data-testid="message-table"
    >
      <div role="row" aria-rowindex={1} class="message-row message-head">
        <span role="columnheader" class="m-type">Type</span>
        <span role="columnheader" class="m-id">Id</span>
        <span role="columnheader" class="m-data">Data</span>
        <span role="columnheader" class="m-size num">Size</span>
        <span role="columnheader" class="m-time num">Time</span>
      </div>
      <div class="message-spacer" role="rowgroup" style={{ height: `${count * ROW_HEIGHT}px` }}>
        {rows}
      </div>
    </div>
  );
}

/** The row showing event `index`; a binary search, as rows keep the events' order. */
function findRow(count: number, eventAt: (row: number) => number, index: number): number {
  let low = 0;
  let high = count - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = eventAt(mid);
    if (at === index) return mid;
    if (at < index) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}
