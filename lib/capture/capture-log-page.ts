import type { CaptureObservation } from './protocol';
import { subscribeToCapture, type PortLike } from './subscription';

/**
 * The capture-log page: one tab's raw observations as JSON lines (text only, never markup), with
 * the state counters in data attributes. Real-browser tests read it in both browsers (Firefox
 * exposes no way to evaluate in the background), and users can attach it to a capture bug.
 */

export interface CaptureLogHost {
  /** The id of the first tab whose URL contains `urlPart`, not counting extension pages. */
  findTab(urlPart: string): Promise<number | null>;
  connect(name: string): PortLike;
}

export async function mountCaptureLog(doc: Document, params: URLSearchParams, host: CaptureLogHost): Promise<void> {
  const status = doc.createElement('p');
  const log = doc.createElement('pre');
  log.id = 'log';
  doc.body.append(status, log);
  const urlPart = params.get('url');
  const tabParam = params.get('tab');
  const tabId = tabParam !== null ? Number(tabParam) : urlPart !== null ? await host.findTab(urlPart) : null;
  if (tabId === null || !Number.isInteger(tabId)) {
    status.textContent = 'No tab: open this page with ?tab=<id> or ?url=<part of the tab URL>.';
    return;
  }
  doc.body.dataset.tab = String(tabId);
  const lines: string[] = [];
  const render = (): void => {
    log.textContent = lines.join('\n');
    doc.body.dataset.count = String(lines.length);
  };
  subscribeToCapture(tabId, (name) => host.connect(name), {
    observations(observations: readonly CaptureObservation[]) {
      for (const observation of observations) lines.push(JSON.stringify(observation));
      doc.body.dataset.lastSeq = String(observations.at(-1)?.seq ?? doc.body.dataset.lastSeq ?? 0);
      render();
    },
    reset(reason) {
      lines.length = 0;
      doc.body.dataset.resets = String(Number(doc.body.dataset.resets ?? 0) + 1);
      status.textContent = `Log ${reason}.`;
      render();
    },
    state(state) {
      doc.body.dataset.dropped = String(state.dropped);
      doc.body.dataset.unpersisted = String(state.unpersisted);
      doc.body.dataset.preserveLog = String(state.preserveLog);
    },
  });
  status.textContent = `Capture of tab ${tabId}.`;
}
