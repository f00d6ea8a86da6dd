import { useMemo, useState } from 'preact/hooks';
import type { PanelHost } from '@/lib/panel/host';
import { readOnlyHost, type ImportedView, type PanelView } from '@/lib/panel/view';
import { App } from './App';

/**
 * The panel as the entry points mount it: the live capture, or an imported file shown read-only.
 * Going back remounts the live panel, whose host replays the capture it holds.
 */
export function PanelRoot({ host }: { readonly host: PanelHost }) {
  const [imported, setImported] = useState<ImportedView | null>(null);
  const importedHost = useMemo(() => (imported ? readOnlyHost(host, imported.streams) : null), [host, imported]);
  const view = useMemo<PanelView>(() => ({ imported, open: setImported, close: () => setImported(null) }), [imported]);
  // Keyed by file: a second import starts from a fresh store, not the first one's selection.
  return importedHost && imported ? <App key={`imported:${imported.fileName}:${imported.streams.length}`} host={importedHost} view={view} /> : <App key="live" host={host} view={view} />;
}
