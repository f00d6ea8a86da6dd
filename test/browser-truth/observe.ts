/**
 * What a page saw of one stream, and the outcome it amounts to. `observeInPage` is serialized into
 * the page by the drivers, so it must be self-contained (no imports, no closures).
 */
import type { Scenario } from '@/playground/endpoints';

export type { Scenario };

/** What a page can run: the playground's scenarios, and an XMLHttpRequest stream (capture suites only). */
export type PageScenario = Scenario | 'xhr';

export interface PageObservation {
  readonly readyStates: number[];
  readonly opens: number;
  readonly errors: number;
  readonly messages: number;
  readonly fetchStatus: number | null;
  readonly fetchError: string | null;
  readonly bodyBytes: number;
  readonly timedOut: boolean;
}

/**
 * Runs one client in the page and resolves when its fate is known: an EventSource closed by the
 * browser (readyState 2), opened three times (a reconnect loop), or whatever it is when the
 * observation window ends; a fetch rejected, or resolved and its body read for the window; an
 * XMLHttpRequest (`xhr`) that ended, or read for the window (its events counted in the text).
 */
export function observeInPage(url: string, scenario: string, windowMs: number): Promise<PageObservation> {
  return new Promise((resolve) => {
    const observation = { readyStates: [] as number[], opens: 0, errors: 0, messages: 0, fetchStatus: null as number | null, fetchError: null as string | null, bodyBytes: 0, timedOut: false };
    let finished = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    let source: EventSource | null = null;
    const finish = (timedOut: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      observation.timedOut = timedOut;
      source?.close();
      controller.abort();
      resolve(observation);
    };
    timer = setTimeout(() => finish(true), windowMs);
    if (scenario.startsWith('eventsource')) {
      source = new EventSource(url, { withCredentials: scenario === 'eventsource-credentials' });
      const es = source;
      observation.readyStates.push(es.readyState);
      es.onopen = () => {
        observation.opens++;
        observation.readyStates.push(es.readyState);
        // Three opens prove a reconnect loop; anything less is watched to its end or the window's.
        if (observation.opens >= 3) finish(false);
      };
      es.onmessage = () => {
        observation.messages++;
      };
      es.onerror = () => {
        observation.errors++;
        observation.readyStates.push(es.readyState);
        if (es.readyState === 2) finish(false);
      };
      return;
    }
    if (scenario === 'xhr') {
      const xhr = new XMLHttpRequest();
      xhr.open('GET', url);
      // As SSE clients over XHR send it (a CORS-safelisted value: no preflight).
      xhr.setRequestHeader('Accept', 'text/event-stream');
      xhr.onreadystatechange = () => {
        if (xhr.readyState >= 2 && xhr.status !== 0) observation.fetchStatus = xhr.status;
        if (xhr.readyState < 3 || xhr.status === 0) return;
        // Complete events so far: blocks ended by a blank line that carry a data line.
        const text = xhr.responseText;
        observation.bodyBytes = text.length;
        observation.messages = text.split(/\r\n\r\n|\n\n|\r\r/).slice(0, -1).filter((block) => /(^|[\r\n])data(:|[\r\n]|$)/.test(block)).length;
      };
      xhr.onerror = () => {
        if (!finished) observation.fetchError = 'error';
        finish(false);
      };
      xhr.onload = () => finish(false);
      controller.signal.addEventListener('abort', () => xhr.abort());
      xhr.send();
      return;
    }
    const headers: Record<string, string> = {};
    if (scenario === 'fetch-header' || scenario === 'fetch-header-credentials') headers['X-API-Key'] = 'demo';
    if (scenario === 'fetch-authorization') headers['Authorization'] = 'Bearer demo';
    const credentials: RequestCredentials = scenario.endsWith('-credentials') ? 'include' : 'same-origin';
    fetch(url, { headers, credentials, signal: controller.signal }).then(
      async (response) => {
        observation.fetchStatus = response.status;
        const reader = response.body?.getReader();
        if (!reader) return finish(false);
        try {
          for (;;) {
            const chunk = await reader.read();
            if (chunk.done) return finish(false);
            observation.bodyBytes += chunk.value.byteLength;
          }
        } catch {
          // Aborted at the end of the window.
        }
      },
      (error: unknown) => {
        if (!finished) observation.fetchError = String(error);
        finish(false);
      },
    );
  });
}

export type ObservedOutcome = 'open' | 'blocked' | 'failed' | 'reconnecting';

/** The outcome vocabulary of the engine, from what the page saw plus whether a CORS error was reported. */
export function observedOutcome(scenario: Scenario, seen: PageObservation, corsErrorReported: boolean): ObservedOutcome {
  if (scenario.startsWith('eventsource')) {
    const last = seen.readyStates.at(-1);
    if (last === 2) return corsErrorReported ? 'blocked' : 'failed';
    if (seen.opens >= 2 || (seen.opens >= 1 && last === 0)) return 'reconnecting';
    if (seen.opens === 0 && seen.errors > 0) return 'reconnecting'; // network errors before any open
    if (seen.opens >= 1) return 'open';
    return 'failed'; // stuck in CONNECTING for the whole window
  }
  if (seen.fetchError !== null) return corsErrorReported ? 'blocked' : 'failed';
  if (seen.fetchStatus === null) return 'failed';
  if (seen.fetchStatus === 204 || seen.fetchStatus < 200 || seen.fetchStatus > 299) return 'failed';
  return 'open';
}
