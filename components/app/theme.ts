import { useEffect, useState } from 'preact/hooks';

export type Theme = 'light' | 'dark';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** DevTools' own theme when the host knows it, else the system's (a plain page, or an older browser). */
export function useTheme(hostTheme: Theme | null): Theme {
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
