import { useRef, useState } from 'preact/hooks';
import type { ExportFormat } from '@/lib/report/index';
import { usePanel } from '../app/store-context';
import { downloadText } from '../controls/copy';

const FORMATS: readonly { readonly id: ExportFormat; readonly label: string }[] = [
  { id: 'markdown', label: 'Markdown (tickets, pull requests)' },
  { id: 'html', label: 'HTML (one self-contained page)' },
  { id: 'json', label: 'JSON report (the CLI contract)' },
  { id: 'sarif', label: 'SARIF 2.1.0 (code scanning)' },
  { id: 'har', label: 'HAR 1.2 (DevTools, sse-inspector analyze)' },
];

type Scope = 'selected' | 'listed';

/**
 * The Export menu: a format, the selected stream or every listed one, and redaction (on unless the
 * user turns it off, with a warning). Exports are bounded by the report's caps, so a stream of
 * 100,000 messages saves its first 1,000 and counts the rest.
 */
export function ExportMenu() {
  const { store, host } = usePanel();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<ExportFormat>('markdown');
  const [scope, setScope] = useState<Scope>('listed');
  const [redact, setRedact] = useState(true);
  const toggle = useRef<HTMLButtonElement>(null);
  const rows = store.visible.value;
  const selected = store.selected.value;
  const streams = scope === 'selected' && selected ? [selected] : rows;

  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const save = async () => {
    // The exporters load on first use: they are not needed to show a capture.
    const { exportStreams, newRedactionSalt } = await import('@/lib/panel/export');
    const file = exportStreams(streams, format, {
      toolVersion: host.toolVersion,
      generatedAt: new Date(),
      platform: store.settings.state.value.platform,
      redact,
      redactionSalt: newRedactionSalt(),
    });
    downloadText(file.fileName, file.text, file.mediaType);
    close();
  };

  return (
    <div class="export-menu">
      <button
        ref={toggle}
        type="button"
        class="tool-button"
        aria-expanded={open}
        aria-controls="export-panel"
        disabled={rows.length === 0}
        onClick={() => setOpen(!open)}
        data-testid="export-menu-button"
      >
        <span aria-hidden="true">⤓</span> Export
      </button>
      {open ? (
        <div id="export-panel" class="export-panel" role="group" aria-label="Export streams" data-testid="export-panel" onKeyDown={(event) => event.key === 'Escape' && close()}>
          <label>
            Format{' '}
            <select value={format} data-testid="export-format" onChange={(event) => setFormat(FORMATS.find((f) => f.id === event.currentTarget.value)?.id ?? 'markdown')}>
              {FORMATS.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Streams{' '}
            <select value={scope} data-testid="export-scope" onChange={(event) => setScope(event.currentTarget.value === 'selected' ? 'selected' : 'listed')}>
              <option value="listed">All listed ({rows.length})</option>
              <option value="selected" disabled={!selected}>
                Selected stream
              </option>
            </select>
          </label>
          <label class="inline-field">
            <input type="checkbox" checked={redact} data-testid="export-redact" onChange={(event) => setRedact(event.currentTarget.checked)} />
            Redact secrets (Authorization, cookies, API keys, tokens)
          </label>
          {redact ? null : (
            <p class="export-warning" role="alert" data-testid="export-warning">
              Not redacted: the file will hold Authorization headers, cookies and tokens exactly as captured. Share it only with people who may see them.
            </p>
          )}
          <div class="export-actions">
            <button type="button" class="tool-button" onClick={() => void save()} data-testid="export-save">
              Save {streams.length === 1 ? '1 stream' : `${streams.length} streams`}
            </button>
            <button type="button" class="tool-button" onClick={close}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
