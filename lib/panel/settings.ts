import { PLATFORMS, type Platform } from '../fixes/plan';

/** What the panel remembers per user (the host persists it: extension storage or localStorage). */
export type StreamSort = 'started' | 'activity' | 'severity' | 'url';
export type MessageDataView = 'text' | 'json';

export interface PanelSettings {
  /** Server stack the fix snippets are shown for. */
  readonly platform: Platform;
  readonly sort: StreamSort;
  readonly messageView: MessageDataView;
}

export const DEFAULT_SETTINGS: PanelSettings = { platform: 'express', sort: 'started', messageView: 'text' };

const SORTS: readonly StreamSort[] = ['started', 'activity', 'severity', 'url'];
const VIEWS: readonly MessageDataView[] = ['text', 'json'];

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/**
 * Settings read back from storage, field by field: storage outlives versions of the extension,
 * so an unknown platform or a renamed sort falls back to its default instead of breaking the panel.
 */
export function parseSettings(stored: unknown): PanelSettings {
  if (typeof stored !== 'object' || stored === null) return DEFAULT_SETTINGS;
  const fields = stored as Record<string, unknown>;
  return {
    platform: pick(fields.platform, PLATFORMS, DEFAULT_SETTINGS.platform),
    sort: pick(fields.sort, SORTS, DEFAULT_SETTINGS.sort),
    messageView: pick(fields.messageView, VIEWS, DEFAULT_SETTINGS.messageView),
  };
}
