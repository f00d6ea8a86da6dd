import type { ImportedView } from '@/lib/panel/view';
import { visibleText } from '../controls/format';

/** In place of the capture controls while an imported file is shown: what it is, and the way back. */
export function ReadOnlyBanner({ imported, onClose }: { readonly imported: ImportedView; readonly onClose: () => void }) {
  const from = imported.writtenBy === null ? 'a HAR file' : `SSE Inspector ${imported.writtenBy}`;
  return (
    <>
      <span class="read-only" data-testid="read-only-banner">
        <strong>Read-only:</strong> {visibleText(imported.fileName)} <span class="muted">({visibleText(from)}{imported.redacted ? ', redacted' : ''})</span>
        {imported.notes.length > 0 ? <span class="muted" title={imported.notes.map((n) => visibleText(n)).join('\n')}> · {imported.notes.length} notes</span> : null}
      </span>
      <button type="button" class="tool-button" onClick={onClose} data-testid="close-import">
        Back to live capture
      </button>
    </>
  );
}
