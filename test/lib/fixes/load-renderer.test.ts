import { describe, expect, it, vi } from 'vitest';
import { loadRenderer } from '@/lib/fixes/load-renderer';
import { PLATFORMS, type ServerPlan } from '@/lib/fixes/plan';
import { renderSnippets } from '@/lib/fixes/render';

const plan: ServerPlan = {
  path: '/events',
  streamUrl: 'https://api.example/events',
  allowedOrigins: ['https://app.example'],
  credentials: true,
  preflight: { methods: [], headers: ['X-API-Key'] },
  heartbeatSeconds: 15,
  retryMs: 5000,
};

describe('fix renderers loaded one platform at a time (the panel)', () => {
  it('gives each platform exactly the snippet the CLI and the report render for it', async () => {
    for (const platform of PLATFORMS) {
      const render = await loadRenderer(platform);
      expect(render(plan), platform).toEqual(renderSnippets(plan, [platform])[0]);
    }
  });

  it('has a renderer at hand only once it was loaded, then the same one every time', async () => {
    // A fresh module graph, in which nothing was loaded yet.
    vi.resetModules();
    const fresh = await import('@/lib/fixes/load-renderer');
    expect(fresh.loadedRenderer('go')).toBeNull();
    const render = await fresh.loadRenderer('go');
    expect(fresh.loadedRenderer('go')).toBe(render);
    expect(await fresh.loadRenderer('go')).toBe(render);
  });
});
