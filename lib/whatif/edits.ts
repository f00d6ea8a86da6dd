import { parseHeaderText } from './header-text';
import { scenarioOf } from './scenario';
import { whatIfFrom, type ExchangeDraft, type WhatIfState } from './state';

/**
 * What the user changed, field by field, against the capture the scenario started from: the
 * marks an exported scenario carries, so a reader knows which lines are the server's and which
 * are a hypothesis. Header texts count as changed only when the lines they stand for differ.
 */
export type WhatIfField = 'pageOrigin' | 'client' | 'credentials' | 'requestHeaders' | 'body' | 'status' | 'responseHeaders' | 'exchange';

export interface WhatIfEdit {
  readonly field: WhatIfField;
  /** The exchange's slot (`preflight`, `redirect-N`, `final`) for exchange fields; null otherwise. */
  readonly exchange: string | null;
  /** As captured; null when the capture has no such thing (an exchange the browser never sent). */
  readonly from: string | null;
  readonly to: string | null;
}

const sameLines = (a: string, b: string) => JSON.stringify(parseHeaderText(a).headers) === JSON.stringify(parseHeaderText(b).headers);

export function editsOf(state: WhatIfState): WhatIfEdit[] {
  const start = whatIfFrom(state.captured);
  const edits: WhatIfEdit[] = [];
  const scalar = (field: WhatIfField, from: string, to: string) => {
    if (from !== to) edits.push({ field, exchange: null, from, to });
  };
  scalar('pageOrigin', start.pageOrigin, state.pageOrigin.trim());
  scalar('client', start.client, state.client);
  scalar('credentials', String(start.credentials), String(state.credentials));
  if (!sameLines(start.requestHeaders, state.requestHeaders)) edits.push({ field: 'requestHeaders', exchange: null, from: start.requestHeaders, to: state.requestHeaders });
  scalar('body', start.body, state.body);
  const before = new Map<string, ExchangeDraft>(start.exchanges.map((d) => [d.slot, d]));
  for (const draft of state.exchanges) {
    const captured = before.get(draft.slot);
    if (!captured) {
      edits.push({ field: 'exchange', exchange: draft.slot, from: null, to: 'added' });
      continue;
    }
    if (draft.captured === null && draft.slot === 'final') {
      // The browser never sent this request (refused at its preflight): every line is the editor's
      // assumption, so the export says so and carries them as edits from nothing.
      edits.push({ field: 'exchange', exchange: draft.slot, from: null, to: 'assumed' });
      edits.push({ field: 'status', exchange: draft.slot, from: null, to: draft.status.trim() });
      edits.push({ field: 'responseHeaders', exchange: draft.slot, from: null, to: draft.headers });
      continue;
    }
    if (captured.status !== draft.status.trim()) edits.push({ field: 'status', exchange: draft.slot, from: captured.status, to: draft.status.trim() });
    if (!sameLines(captured.headers, draft.headers)) edits.push({ field: 'responseHeaders', exchange: draft.slot, from: captured.headers, to: draft.headers });
  }
  return edits;
}

/** A change to what the page opens, kept apart from `edits` (whose fields readers of version 1 check). */
export interface WhatIfRequestEdit {
  readonly field: 'url' | 'method';
  readonly from: string;
  readonly to: string;
}

export function requestEditsOf(state: WhatIfState): WhatIfRequestEdit[] {
  const { record } = scenarioOf(state);
  const edits: WhatIfRequestEdit[] = [];
  if (record.url !== state.captured.url) edits.push({ field: 'url', from: state.captured.url, to: record.url });
  if (record.client.method !== state.captured.client.method) edits.push({ field: 'method', from: state.captured.client.method, to: record.client.method });
  return edits;
}
