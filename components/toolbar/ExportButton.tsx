import { exportFileName, exportReportJson } from '@/lib/panel/export';
import { usePanel } from '../app/store-context';
import { downloadText } from '../controls/copy';

/** Saves the streams in the list (filters applied) as the CLI's JSON report. */
export function ExportButton() {
  const { store, host } = usePanel();
  const rows = store.visible.value;
  const save = () => {
    const now = new Date();
    downloadText(exportFileName(now), exportReportJson(rows, host.toolVersion, now));
  };
  return (
    <button type="button" class="tool-button" disabled={rows.length === 0} onClick={save} data-testid="export-json" title="Export the listed streams as a JSON report">
      <span aria-hidden="true">⤓</span> Export JSON
    </button>
  );
}
