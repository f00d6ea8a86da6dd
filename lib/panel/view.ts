import type { CapturedStream } from '../capture/captured';
import type { PanelHost } from './host';

/**
 * Which streams the panel shows: the live capture, or a file the user imported, which the panel
 * shows read-only through a recorded host until the user goes back to the live capture.
 */
export interface ImportedView {
  readonly fileName: string;
  readonly streams: readonly CapturedStream[];
  /** Streams skipped or restored approximately, in one line each. */
  readonly notes: readonly string[];
  readonly redacted: boolean;
  /** Version of SSE Inspector that wrote the file; null for a browser's HAR. */
  readonly writtenBy: string | null;
}

export interface PanelView {
  readonly imported: ImportedView | null;
  open(view: ImportedView): void;
  close(): void;
}

/**
 * The host of an imported file: its streams, nothing live (capture is off, commands do nothing
 * that reaches a page), the live host's theme, version and settings (the chosen server stack
 * stays the user's).
 */
export function readOnlyHost(live: PanelHost, streams: readonly CapturedStream[]): PanelHost {
  return {
    theme: live.theme,
    ...(live.watchTheme ? { watchTheme: live.watchTheme } : {}),
    toolVersion: live.toolVersion,
    // The file is all there is, delivered at once with capture off. Written out rather than through
    // the plain-page recorded host, which the extension's panel then need not load.
    connect(onFeed) {
      onFeed({ type: 'capture-state', recording: false, preserveLog: false });
      onFeed({ type: 'streams', streams });
      return () => undefined;
    },
    send: () => undefined,
    loadSettings: () => live.loadSettings(),
    saveSettings: (settings) => live.saveSettings(settings),
  };
}
