import type { PanelCommand, PanelFeed } from '../capture/captured';
import type { PanelHost } from './host';
import { DEFAULT_SETTINGS, parseSettings, type PanelSettings } from './settings';

/**
 * The plain-page host: replays a recorded list of feed messages and answers commands the way
 * the capture pipeline does (echoing capture state, emptying the list on clear, taking nothing
 * new while paused). UI tests, screenshots and the no-extension demo all run on it.
 */

export interface SettingsStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface RecordedHostOptions {
  readonly feed: readonly PanelFeed[];
  readonly theme?: 'light' | 'dark' | null;
  readonly toolVersion?: string;
  /** Where settings persist (a page's localStorage); in memory when absent. */
  readonly storage?: SettingsStorage | null;
  readonly recording?: boolean;
  readonly reloadInspectedPage?: () => void;
}

export interface RecordedHost extends PanelHost {
  /** Every command the panel sent, in order. */
  readonly sent: readonly PanelCommand[];
  /** Delivers one more message, as a live capture would (dropped like the pipeline does while paused). */
  push(feed: PanelFeed): void;
  /** Switches the theme as DevTools would while the panel is open. */
  switchTheme(theme: 'light' | 'dark'): void;
}

export const SETTINGS_KEY = 'sse-inspector.settings';

export function createRecordedHost(options: RecordedHostOptions): RecordedHost {
  const sent: PanelCommand[] = [];
  const listeners = new Set<(feed: PanelFeed) => void>();
  const themeListeners = new Set<(theme: 'light' | 'dark') => void>();
  let recording = options.recording ?? true;
  let preserveLog = false;
  let memory: string | null = null;
  const storage: SettingsStorage = options.storage ?? {
    getItem: () => memory,
    setItem: (_key, value) => {
      memory = value;
    },
  };

  const emit = (feed: PanelFeed) => {
    for (const listener of listeners) listener(feed);
  };
  const emitCaptureState = () => emit({ type: 'capture-state', recording, preserveLog });

  return {
    sent,
    theme: options.theme ?? null,
    watchTheme(onTheme) {
      themeListeners.add(onTheme);
      return () => themeListeners.delete(onTheme);
    },
    switchTheme(theme) {
      for (const listener of themeListeners) listener(theme);
    },
    toolVersion: options.toolVersion ?? '0.0.0-demo',
    ...(options.reloadInspectedPage ? { reloadInspectedPage: options.reloadInspectedPage } : {}),
    connect(onFeed) {
      listeners.add(onFeed);
      onFeed({ type: 'capture-state', recording, preserveLog });
      for (const feed of options.feed) onFeed(feed);
      return () => listeners.delete(onFeed);
    },
    send(command) {
      sent.push(command);
      switch (command.type) {
        case 'set-recording':
          recording = command.recording;
          return emitCaptureState();
        case 'set-preserve-log':
          preserveLog = command.preserve;
          return emitCaptureState();
        case 'clear':
          return emit({ type: 'reset', reason: 'cleared' });
      }
    },
    push(feed) {
      if (feed.type === 'streams' && !recording) return;
      emit(feed);
    },
    async loadSettings() {
      const stored = storage.getItem(SETTINGS_KEY);
      if (stored === null) return DEFAULT_SETTINGS;
      try {
        return parseSettings(JSON.parse(stored));
      } catch {
        return DEFAULT_SETTINGS;
      }
    },
    saveSettings(settings: PanelSettings) {
      storage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    },
  };
}
