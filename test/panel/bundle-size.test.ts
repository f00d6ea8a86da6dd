import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kb, measurePanelSize } from '../bench/panel-size';
import { BUILT_EXTENSION } from './demo-server';

/**
 * The panel's JS budget, on the built extension (`wxt build` runs before the tests in `npm test`):
 * at most 60 KB gzipped loads before the panel can draw; the other tabs, the What if editor, each
 * platform's fix renderer, the exporters and importers load on first use.
 */
const BUDGET_BYTES = 60 * 1024;

describe('the panel\'s JS in the built extension', () => {
  const size = measurePanelSize(BUILT_EXTENSION);
  const lazyFiles = size.lazy.map((s) => s.file).join(' ');

  it(`loads at most ${kb(BUDGET_BYTES)} gzipped before it can draw`, () => {
    expect(size.initialGzipBytes, size.initial.map((s) => `${s.file} ${kb(s.gzipBytes)}`).join(', ')).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('leaves the What if editor, the other tabs and the fix renderers to first use', () => {
    for (const chunk of ['WhatIfTab', 'HeadersTab', 'TimelineTab', 'MessagesTab', 'ValidateTab', 'express', 'nginx', 'aspnetcore']) {
      expect(lazyFiles).toMatch(new RegExp(`chunks/${chunk}-[\\w-]+\\.js`));
    }
  });

  it('carries no demo code: no recorded feed, no demo stream, no recorded host', () => {
    const text = (page: ReturnType<typeof measurePanelSize>) => [...page.initial, ...page.lazy].map((s) => readFileSync(join(BUILT_EXTENSION, s.file), 'utf8')).join('\n');
    const panel = text(size);
    const demo = text(measurePanelSize(BUILT_EXTENSION, 'panel-demo.html'));
    // Markers of lib/panel/demo-feed.ts (the playground's page origin, the firehose stream) and
    // lib/panel/recorded-host.ts (its default tool version), as the demo page's scripts show them.
    for (const marker of ['localhost:18080', '/sse/firehose', '0.0.0-demo']) {
      expect(demo).toContain(marker);
      expect(panel).not.toContain(marker);
    }
  });
});
