import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureMerger } from '../../../lib/capture/merger';
import type { CaptureObservation } from '../../../lib/capture/protocol';
import type { PageObservation } from '../../browser-truth/observe';
import { CAPTURE_CASES, type CaptureCase } from '../../capture/cases';

/**
 * The merger against captures recorded from real browsers (test/capture/record-fixtures.ts):
 * each fixture is one playground case's raw capture log plus what the page itself saw.
 */
interface Fixture {
  readonly browser: 'chromium' | 'firefox';
  readonly case: CaptureCase;
  readonly url: string;
  readonly observation: PageObservation;
  readonly capture: CaptureObservation[];
}

const DIR = join(import.meta.dirname, '../../fixtures/capture');
const fixtures: Fixture[] = readdirSync(DIR).flatMap((browser) =>
  readdirSync(join(DIR, browser)).map((file) => JSON.parse(readFileSync(join(DIR, browser, file), 'utf8')) as Fixture),
);

describe('merger on recorded captures', () => {
  it('has fixtures from real browsers', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(fixtures.map((f) => [`${f.browser} ${f.case.name}`, f] as const))('%s', (_name, fixture) => {
    const merger = new CaptureMerger({ browser: fixture.browser });
    const { changed } = merger.apply(fixture.capture);
    const streams = merger.streams;
    const stream = streams[0];
    // Expectations come from the case list, not from the recording.
    const expected = (CAPTURE_CASES.find((c) => c.name === fixture.case.name) as CaptureCase).expected;

    it('makes exactly one stream of the case', () => {
      expect(streams).toHaveLength(1);
      expect(changed).toHaveLength(1);
      expect(stream?.record.url).toBe(fixture.url);
    });

    it('observes what the page went through', () => {
      expect(stream?.observed).toBe(expected.observed);
      expect(stream?.record.client.kind).toBe(fixture.case.scenario.startsWith('eventsource') ? 'eventsource' : 'fetch');
    });

    it('has the exchanges on the wire', () => {
      const kinds = stream?.record.exchanges.map((e) => e.kind) ?? [];
      expect(kinds.filter((k) => k === 'preflight').length > 0).toBe(expected.preflight);
      expect(kinds.filter((k) => k === 'redirect')).toHaveLength(expected.redirects);
      expect(new Set(stream?.record.exchanges.map((e) => e.attempt)).size).toBe(expected.attempts);
      expect(stream?.retryLoop?.attempts ?? 1).toBe(expected.attempts);
    });

    it("gives the engine's verdict the truth suite measured", () => {
      expect(stream?.analysis.verdicts.chromium.corsError ?? null).toBe(expected.corsError);
    });

    it.runIf(fixture.browser === 'chromium' && fixture.case.scenario.startsWith('eventsource'))('has the readyStates and events the page saw', () => {
      // observeInPage closes the EventSource when done: the hook records that CLOSED too.
      const seen = fixture.observation.readyStates;
      expect(stream?.record.readyStates.map((r) => r.state)).toEqual(seen.at(-1) === 2 ? seen : [...seen, 2]);
      expect(stream?.record.events.length).toBe(fixture.observation.messages);
    });
  });
});
