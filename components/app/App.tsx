import { useComputed } from '@preact/signals';
import { useEffect, useLayoutEffect, useMemo } from 'preact/hooks';
import type { PanelHost } from '@/lib/panel/host';
import { DEFAULT_SETTINGS } from '@/lib/panel/settings';
import { createPanelStore, type PanelStore } from '@/lib/panel/store';
import type { PanelView } from '@/lib/panel/view';
import { Toolbar } from '../toolbar/Toolbar';
import { StreamList } from '../streams/StreamList';
import { DetailPane } from './DetailPane';
import { EmptyState } from './EmptyState';
import { StatusBar } from './StatusBar';
import { PanelContextValue } from './store-context';
import { useTheme } from './theme';
import '../panel.css';

interface Props {
  readonly host: PanelHost;
  /** Tests pass a store to inspect it; the panel normally makes its own. */
  readonly store?: PanelStore;
  /** Live or imported (PanelRoot); enables Import and the read-only banner. */
  readonly view?: PanelView;
}

/** The SSE Inspector panel, identical in the extension and in a plain page: only the host differs. */
export function App({ host, store: given, view }: Props) {
  const store = useMemo(() => given ?? createPanelStore(undefined, (settings) => host.saveSettings(settings)), [given, host]);
  const theme = useTheme(host);

  useEffect(() => {
    let disconnect: (() => void) | null = null;
    let live = true;
    // Settings first, so the first automatic selection already uses the remembered sort; storage
    // that cannot be read must not keep the panel from connecting.
    const settingsRead = host.loadSettings().catch(() => DEFAULT_SETTINGS);
    void settingsRead.then((settings) => {
      if (!live) return;
      store.settings.load(settings);
      disconnect = host.connect((feed) => store.dispatch(feed));
    });
    return () => {
      live = false;
      disconnect?.();
    };
  }, [host, store]);

  useLayoutEffect(() => {
    // The page background outside the panel's box follows the theme too, in the same frame as the
    // panel itself (an effect would paint one frame of the old background around the new panel).
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const context = useMemo(() => ({ store, host, ...(view ? { view } : {}) }), [store, host, view]);
  // A computed boolean: the shell re-renders when the list becomes empty or not, not on every update.
  const hasRows = useComputed(() => store.visible.value.length > 0).value;
  return (
    <PanelContextValue.Provider value={context}>
      <div class="panel" data-theme={theme} data-testid="panel">
        <header>
          <h1 class="visually-hidden">SSE Inspector</h1>
          <Toolbar />
        </header>
        {hasRows ? (
          <main class="split">
            <StreamList />
            <DetailPane />
          </main>
        ) : (
          <main class="split-empty">
            <EmptyState />
          </main>
        )}
        <StatusBar />
      </div>
    </PanelContextValue.Provider>
  );
}
