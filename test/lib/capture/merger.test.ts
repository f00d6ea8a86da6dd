import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureMerger } from '../../../lib/capture/merger';
import type { CaptureObservation } from '../../../lib/capture/protocol';
import type { PageObservation } from '../../browser-truth/observe';
import { CAPTURE_CASES, type CaptureCase } from '../../capture/cases';
import { expectCaptured } from '../../capture/expectations';

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
    // Expectations come from the case list, not from the recording.
    const c = CAPTURE_CASES.find((known) => known.name === fixture.case.name) as CaptureCase;

    it('makes exactly one stream of the case, as the page and the truth suite saw it', () => {
      const merger = new CaptureMerger({ browser: fixture.browser });
      const { changed } = merger.apply(fixture.capture);
      expect(merger.streams).toHaveLength(1);
      expect(changed).toHaveLength(1);
      expectCaptured(merger.streams[0], c, fixture.observation, fixture.url);
    });

    it('builds the same streams when the capture arrives in pieces', () => {
      const merger = new CaptureMerger({ browser: fixture.browser });
      for (const observation of fixture.capture) merger.apply([observation]);
      expect(merger.streams).toHaveLength(1);
      expectCaptured(merger.streams[0], c, fixture.observation, fixture.url);
    });
  });
});
