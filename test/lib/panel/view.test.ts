import { describe, expect, it } from 'vitest';
import type { PanelFeed } from '@/lib/capture/captured';
import { stream } from '@/lib/model/builders';
import { capturedStream } from '@/lib/panel/demo-feed';
import { createRecordedHost } from '@/lib/panel/recorded-host';
import { readOnlyHost } from '@/lib/panel/view';

describe('the read-only host of an imported file', () => {
  const imported = [capturedStream(stream({ id: 'a', url: 'https://api.test/a', pageOrigin: 'https://app.test', acao: '*', credentials: true }))];

  it('delivers the file at once with capture off, and nothing after', () => {
    const live = createRecordedHost({ feed: [], theme: 'dark', toolVersion: '9.9.9' });
    const host = readOnlyHost(live, imported);
    const received: PanelFeed[] = [];
    const stop = host.connect((feed) => received.push(feed));
    expect(received).toEqual([
      { type: 'capture-state', recording: false, preserveLog: false },
      { type: 'streams', streams: imported },
    ]);
    host.send({ type: 'clear' });
    live.push({ type: 'reset', reason: 'cleared' });
    expect(received).toHaveLength(2);
    stop();
    expect(live.sent).toEqual([]);
    expect([host.theme, host.toolVersion]).toEqual(['dark', '9.9.9']);
  });

  it('keeps the live host\'s settings and follows its theme changes', async () => {
    const live = createRecordedHost({ feed: [], theme: 'light' });
    const host = readOnlyHost(live, imported);
    const settings = { ...(await live.loadSettings()), platform: 'nginx' as const };
    host.saveSettings(settings);
    expect(await live.loadSettings()).toEqual(settings);
    const themes: string[] = [];
    host.watchTheme?.((theme) => themes.push(theme));
    live.switchTheme('dark');
    expect(themes).toEqual(['dark']);
  });
});
