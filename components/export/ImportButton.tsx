import { useRef, useState } from 'preact/hooks';
import type { PanelView } from '@/lib/panel/view';
import { visibleText } from '../controls/format';

/** Largest file the panel reads: a HAR of a long session is big, but the panel must not stall. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** Opens a JSON report or a HAR (a browser's or SSE Inspector's) and shows its streams read-only. */
export function ImportButton({ view }: { readonly view: PanelView }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);

  const read = async (file: File) => {
    setError(null);
    if (file.size > MAX_IMPORT_BYTES) return setError(`${file.name} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
    // The readers load on first use: they are not needed to show a capture.
    const [{ ImportError, importFile }, { importedStreams }] = await Promise.all([import('@/lib/report/import'), import('@/lib/panel/import')]);
    try {
      const imported = importFile(await file.text());
      const streams = importedStreams(imported, file.lastModified || Date.now());
      if (streams.length === 0) return setError(`${file.name} has no event streams${imported.notes.length > 0 ? ` (${imported.notes[0]})` : ''}`);
      view.open({ fileName: file.name, streams, notes: imported.notes, redacted: imported.redacted, writtenBy: imported.writtenBy });
    } catch (caught) {
      if (!(caught instanceof ImportError)) throw caught;
      setError(`${file.name}: ${caught.message}`);
    }
  };

  return (
    <>
      <button type="button" class="tool-button" onClick={() => input.current?.click()} data-testid="import-button" title="Open a JSON report or a HAR file, read-only">
        <span aria-hidden="true">⤒</span> Import
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,.har,application/json"
        hidden
        data-testid="import-file"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          // Cleared, so choosing the same file again imports it again.
          event.currentTarget.value = '';
          if (file) void read(file);
        }}
      />
      {error === null ? null : (
        <span class="import-error" role="alert" data-testid="import-error">
          {visibleText(error)}
        </span>
      )}
    </>
  );
}
