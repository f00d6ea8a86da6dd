import { expect } from 'vitest';
import type { CapturedStream } from '../../lib/capture/captured';
import type { PageObservation } from '../browser-truth/observe';
import type { CaptureCase } from './cases';

/**
 * What a captured stream must show for a case, shared by the merger's fixture tests and the live
 * real-browser suite. Expectations come from the case list (what the truth suite measured), never
 * from the capture itself.
 */
export function expectCaptured(stream: CapturedStream | undefined, c: CaptureCase, seen: PageObservation, url: string): void {
  expect(stream, `a stream for ${c.name}`).toBeDefined();
  if (!stream) return;
  const { record } = stream;
  expect(record.url).toBe(url);
  expect(stream.observed).toBe(c.expected.observed);
  expect(record.client.kind).toBe(c.scenario.startsWith('eventsource') ? 'eventsource' : 'fetch');
  const kinds = record.exchanges.map((e) => e.kind);
  expect(kinds.includes('preflight')).toBe(c.expected.preflight);
  expect(kinds.filter((k) => k === 'redirect')).toHaveLength(c.expected.redirects);
  expect(new Set(record.exchanges.map((e) => e.attempt)).size).toBe(c.expected.attempts);
  expect(stream.retryLoop?.attempts ?? 1).toBe(c.expected.attempts);
  expect(stream.analysis.verdicts.chromium.corsError ?? null).toBe(c.expected.corsError);
  if (c.scenario.startsWith('eventsource')) {
    // observeInPage closes the EventSource when done: the hook records that CLOSED too.
    const states = seen.readyStates;
    expect(record.readyStates.map((r) => r.state)).toEqual(states.at(-1) === 2 ? states : [...states, 2]);
    expect(record.events).toHaveLength(seen.messages);
  }
  // The hook parsed the XHR's text as the page's own count of complete events saw it (some, when
  // it opened).
  if (c.scenario === 'xhr') {
    expect(record.events).toHaveLength(seen.messages);
    if (c.expected.corsError === null) expect(seen.messages).toBeGreaterThan(0);
  }
}
