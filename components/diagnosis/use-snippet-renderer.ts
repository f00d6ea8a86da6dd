import { useEffect, useState } from 'preact/hooks';
import { loadedRenderer, loadRenderer, type SnippetRenderer } from '@/lib/fixes/load-renderer';
import type { Platform } from '@/lib/fixes/plan';

export type RendererState = { readonly status: 'ready'; readonly render: SnippetRenderer } | { readonly status: 'loading' | 'failed' };

/** The chosen platform's snippet renderer, loaded on first use (lib/fixes/load-renderer.ts). */
export function useSnippetRenderer(platform: Platform): RendererState {
  const [failedPlatform, setFailedPlatform] = useState<Platform | null>(null);
  const [, settle] = useState(0);
  const render = loadedRenderer(platform);
  useEffect(() => {
    if (render) return undefined;
    let current = true;
    loadRenderer(platform).then(
      () => current && settle((n) => n + 1),
      () => current && setFailedPlatform(platform),
    );
    return () => {
      current = false;
    };
  }, [platform, render]);
  if (render) return { status: 'ready', render };
  return { status: failedPlatform === platform ? 'failed' : 'loading' };
}
