import { usePanel } from '../app/store-context';
import { ExportMenu } from '../export/ExportMenu';
import { ImportButton } from '../export/ImportButton';
import { ReadOnlyBanner } from '../export/ReadOnlyBanner';
import { CaptureControls } from './CaptureControls';
import { StreamFilters } from './StreamFilters';

/** DevTools-style toolbar: capture controls (or, on an imported file, what it is), filters, import and export. */
export function Toolbar() {
  const { view } = usePanel();
  return (
    <div role="toolbar" aria-label="SSE Inspector controls" class="toolbar" data-testid="toolbar">
      {view?.imported ? <ReadOnlyBanner imported={view.imported} onClose={view.close} /> : <CaptureControls />}
      <span class="toolbar-divider" aria-hidden="true" />
      <StreamFilters />
      <span class="toolbar-spacer" />
      {view ? <ImportButton view={view} /> : null}
      <ExportMenu />
    </div>
  );
}
