import { useEffect, useState } from 'preact/hooks';
import type { PanelHost } from '@/lib/panel/host';

export type Theme = 'light' | 'dark';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * DevTools' own theme when the host knows it, followed live where the host can watch it,
 * else the system's (a plain page, or an older browser).
 */
export function useTheme(host: Pick<PanelHost, 'theme' | 'watchTheme'>): Theme {
  const [hostTheme, setHostTheme] = useState(host.theme);
  useEffect(() => {
    setHostTheme(host.theme);
    return host.watchTheme?.(setHostTheme);
  }, [host]);

  const media = typeof matchMedia === 'function' ? matchMedia(DARK_QUERY) : null;
  const [systemDark, setSystemDark] = useState(media?.matches ?? false);
  useEffect(() => {
    if (hostTheme !== null || !media) return;
    const follow = (event: MediaQueryListEvent) => setSystemDark(event.matches);
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, [hostTheme]);
  return hostTheme ?? (systemDark ? 'dark' : 'light');
}
