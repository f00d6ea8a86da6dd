import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { PanelFeed } from '@/lib/capture/captured';
import { App } from '@/components/app/App';
import { createRecordedHost, type RecordedHostOptions } from '@/lib/panel/recorded-host';
import { createPanelStore } from '@/lib/panel/store';

/** Renders the panel in the plain-page host over a recorded feed, and waits for the feed to land. */
export async function renderPanel(feed: readonly PanelFeed[], options: Partial<RecordedHostOptions> = {}) {
  const host = createRecordedHost({ feed, ...options });
  const store = createPanelStore(undefined, (settings) => host.saveSettings(settings));
  const view = render(<App host={host} store={store} />);
  // Settings load asynchronously, then the host connects: wait for that, not for time.
  await screen.findByTestId(feed.length > 0 ? 'stream-list' : /^empty-(nothing|paused)$/);
  return { host, store, view };
}

export function rows(): HTMLElement[] {
  return screen.queryAllByTestId('stream-row');
}

export function rowFor(urlPart: string): HTMLElement {
  const row = rows().find((r) => r.dataset.url?.includes(urlPart));
  if (!row) throw new Error(`no row for ${urlPart}`);
  return row;
}

export function findings(): HTMLElement[] {
  return screen.queryAllByTestId('finding');
}

export function tab(name: string): HTMLElement {
  return within(screen.getByRole('tablist')).getByRole('tab', { name: new RegExp(`^${name}`) });
}

/** The DOM contract attributes of a stream row (read with getAttribute: happy-dom's dataset skips empty values). */
export function contract(row: HTMLElement) {
  return {
    url: row.getAttribute('data-url'),
    outcome: row.getAttribute('data-outcome'),
    corsError: row.getAttribute('data-cors-error'),
    firefoxReason: row.getAttribute('data-firefox-reason'),
    attempts: row.getAttribute('data-attempts'),
  };
}

/** Opens a detail tab and waits for its code: every tab but Diagnosis loads when first opened. */
export async function openTab(name: string): Promise<void> {
  fireEvent.click(tab(name));
  await waitFor(() => {
    if (screen.queryByTestId('lazy-loading')) throw new Error(`the ${name} tab is still loading`);
  });
}
