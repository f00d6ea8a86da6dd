import type { StreamEvent } from '@/lib/model/record';
import { visibleText } from '../controls/format';

/** Pure helpers of the Messages tab: search, one-line previews, pretty JSON. */

const PREVIEW_CHARS = 160;

/** Positions in `events` whose type, id or data contains `query` (case-insensitive); all when the query is empty. */
export function searchEvents(events: readonly StreamEvent[], query: string): Uint32Array | null {
  const needle = query.trim().toLowerCase();
  if (needle === '') return null;
  const hits = new Uint32Array(events.length);
  let count = 0;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as StreamEvent;
    if (event.data.toLowerCase().includes(needle) || event.type.toLowerCase().includes(needle) || (event.id !== null && event.id.toLowerCase().includes(needle))) {
      hits[count++] = i;
    }
  }
  return hits.subarray(0, count);
}

/** The first characters of the data on one line, newlines and control characters made visible. */
export function dataPreview(data: string): string {
  const head = data.length > PREVIEW_CHARS ? `${data.slice(0, PREVIEW_CHARS)}…` : data;
  return visibleText(head);
}

/** The data as text, or as indented JSON when asked and it parses; the result is only ever rendered as text. */
export function formatData(data: string, view: 'text' | 'json'): { readonly text: string; readonly json: boolean } {
  if (view === 'json') {
    try {
      return { text: visibleText(JSON.stringify(JSON.parse(data), null, 2), true), json: true };
    } catch {
      // Not JSON: shown as text, and the view says so.
    }
  }
  return { text: visibleText(data, true), json: false };
}
