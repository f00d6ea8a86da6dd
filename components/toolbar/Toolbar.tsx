import { CaptureControls } from './CaptureControls';
import { ExportButton } from './ExportButton';
import { StreamFilters } from './StreamFilters';

/** DevTools-style toolbar: capture controls, filters, export. */
export function Toolbar() {
  return (
    <div role="toolbar" aria-label="SSE Inspector controls" class="toolbar" data-testid="toolbar">
      <CaptureControls />
      <span class="toolbar-divider" aria-hidden="true" />
      <StreamFilters />
      <span class="toolbar-spacer" />
      <ExportButton />
    </div>
  );
}
