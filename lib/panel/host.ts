import type { PanelCommand, PanelFeed } from '../capture/captured';
import type { PanelSettings } from './settings';

/**
 * Where the panel runs. The panel only ever talks to this interface, so the same App renders
 * inside the extension (fed by the capture pipeline) and in a plain page fed by recorded feeds
 * (UI tests, screenshots, the demo without an extension).
 */
export interface PanelHost {
  /** Starts delivering feed messages; returns a function that stops them. */
  connect(onFeed: (feed: PanelFeed) => void): () => void;
  send(command: PanelCommand): void;
  loadSettings(): Promise<PanelSettings>;
  saveSettings(settings: PanelSettings): void;
  /** DevTools' own theme when the host knows it (devtools.panels.themeName); null: follow the OS. */
  readonly theme: 'light' | 'dark' | null;
  /**
   * Calls back when DevTools switches theme while the panel is open (Firefox's
   * devtools.panels.onThemeChanged, Chromium's devtools.panels.setThemeChangeHandler); returns a
   * function that stops. Absent where the host cannot tell (a plain page follows the OS instead).
   */
  readonly watchTheme?: (onTheme: (theme: 'light' | 'dark') => void) => () => void;
  /** Stamped into exported reports. */
  readonly toolVersion: string;
  /** Reloads the inspected page so capture starts at page start; absent where there is no page. */
  readonly reloadInspectedPage?: () => void;
}
