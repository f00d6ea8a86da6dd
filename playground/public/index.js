// The playground's client: runs one scenario against one URL and reports what the browser did.
// Plain script, no framework; the log is built with createElement/textContent only.

/**
 * @typedef {'eventsource' | 'eventsource-credentials' | 'fetch' | 'fetch-credentials' | 'fetch-header'
 *   | 'fetch-header-credentials' | 'fetch-authorization'} Scenario
 * @typedef {{ readyStates: number[], attempts: number, events: number, opened: boolean,
 *   fetchStatus: number | null, fetchError: string | null, closedByTimeout: boolean }} Observation
 * @typedef {{ at: number, kind: string, text: string }} LogLine
 * @typedef {{ timeoutMs?: number, signal?: AbortSignal, onLog?: (line: LogLine) => void }} RunOptions
 */

/** @type {Record<Scenario, { client: 'eventsource' | 'fetch', credentials: boolean, headers: Record<string, string> }>} */
const SCENARIOS = {
  'eventsource': { client: 'eventsource', credentials: false, headers: {} },
  'eventsource-credentials': { client: 'eventsource', credentials: true, headers: {} },
  // Accept is a safelisted header, so these two never trigger a preflight.
  'fetch': { client: 'fetch', credentials: false, headers: { Accept: 'text/event-stream' } },
  'fetch-credentials': { client: 'fetch', credentials: true, headers: { Accept: 'text/event-stream' } },
  'fetch-header': { client: 'fetch', credentials: false, headers: { Accept: 'text/event-stream', 'X-API-Key': 'demo' } },
  'fetch-header-credentials': { client: 'fetch', credentials: true, headers: { Accept: 'text/event-stream', 'X-API-Key': 'demo' } },
  'fetch-authorization': { client: 'fetch', credentials: false, headers: { Accept: 'text/event-stream', Authorization: 'Bearer demo' } },
};

const STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSED'];
const MAX_LOG_LINES = 300;

/**
 * Runs `scenario` against `url` until the client gives up (EventSource CLOSED, fetch body ended or
 * failed), the timeout passes, or `signal` aborts.
 * @param {string} url
 * @param {Scenario} scenario
 * @param {RunOptions} [options]
 * @returns {Promise<Observation>}
 */
function run(url, scenario, options = {}) {
  const setup = SCENARIOS[scenario];
  if (!setup) return Promise.reject(new Error(`unknown scenario ${scenario}`));
  const started = performance.now();
  const onLog = options.onLog ?? (() => {});
  /** @param {string} kind @param {string} text */
  const note = (kind, text) => onLog({ at: Math.round(performance.now() - started), kind, text });
  const timeoutMs = options.timeoutMs ?? 5000;
  return setup.client === 'eventsource'
    ? runEventSource(url, setup.credentials, timeoutMs, options.signal, note)
    : runFetch(url, setup, timeoutMs, options.signal, note);
}

/** @returns {Observation} */
function blankObservation() {
  return { readyStates: [], attempts: 0, events: 0, opened: false, fetchStatus: null, fetchError: null, closedByTimeout: false };
}

/**
 * readyStates lists each distinct state in order (0,1,0,1,... for a reconnect loop, 0,2 for a failure);
 * attempts counts CONNECTING phases: the first connection plus each reconnect the browser scheduled.
 */
function runEventSource(url, withCredentials, timeoutMs, signal, note) {
  return new Promise((resolve) => {
    const observation = blankObservation();
    /** @type {EventSource} */
    let source;
    try {
      source = new EventSource(url, { withCredentials });
    } catch (error) {
      observation.fetchError = describe(error);
      note('error', `constructor threw: ${observation.fetchError}`);
      resolve(observation);
      return;
    }
    let done = false;
    const record = () => {
      const state = source.readyState;
      if (observation.readyStates[observation.readyStates.length - 1] === state) return;
      observation.readyStates.push(state);
      note('state', `readyState ${state} (${STATE_NAMES[state] ?? '?'})`);
    };
    const finish = (byTimeout) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      source.close();
      observation.closedByTimeout = byTimeout;
      note('summary', summary(observation));
      resolve(observation);
    };
    observation.attempts = 1;
    note('attempt', `new EventSource(${url}${withCredentials ? ', { withCredentials: true }' : ''}): attempt 1`);
    record();
    source.onopen = () => {
      observation.opened = true;
      note('open', 'open');
      record();
    };
    source.onmessage = (event) => {
      observation.events += 1;
      note('message', `message${event.lastEventId ? ` id=${event.lastEventId}` : ''}: ${clip(event.data)}`);
    };
    source.onerror = () => {
      note('error', 'error');
      record();
      if (source.readyState === EventSource.CONNECTING) {
        observation.attempts += 1;
        note('attempt', `reconnecting: attempt ${observation.attempts}`);
      } else if (source.readyState === EventSource.CLOSED) {
        finish(false);
      }
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    signal?.addEventListener('abort', () => finish(false), { once: true });
  });
}

/** fetch never reconnects and ignores the MIME type; `opened` means the response headers arrived. */
async function runFetch(url, setup, timeoutMs, signal, note) {
  const observation = blankObservation();
  observation.attempts = 1;
  const controller = new AbortController();
  let byTimeout = false;
  const timer = setTimeout(() => {
    byTimeout = true;
    controller.abort();
  }, timeoutMs);
  const stop = () => controller.abort();
  signal?.addEventListener('abort', stop, { once: true });
  note('attempt', `fetch(${url}, { credentials: '${setup.credentials ? 'include' : 'same-origin'}', headers: ${JSON.stringify(setup.headers)} })`);
  try {
    const response = await fetch(url, {
      headers: setup.headers,
      credentials: setup.credentials ? 'include' : 'same-origin',
      cache: 'no-store',
      signal: controller.signal,
    });
    observation.opened = true;
    observation.fetchStatus = response.status;
    note(response.ok ? 'open' : 'error', `HTTP ${response.status} (${response.headers.get('content-type') ?? 'no Content-Type'})`);
    if (response.body) {
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const push = eventParser((data) => {
        observation.events += 1;
        note('message', `message: ${clip(data)}`);
      });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        push(value);
      }
      note('end', 'body ended');
    }
  } catch (error) {
    // Our own abort (timeout or stop) is not something the server did.
    if (!controller.signal.aborted) {
      observation.fetchError = describe(error);
      note('error', observation.fetchError);
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
  observation.closedByTimeout = byTimeout;
  note('summary', summary(observation));
  return observation;
}

/**
 * A minimal event-stream parser (HTML standard, "Interpreting an event stream") that reports the
 * data of each dispatched `message` event, so fetch runs count events the way an EventSource would.
 * @param {(data: string) => void} onMessage
 */
function eventParser(onMessage) {
  let line = '';
  let data = '';
  let type = '';
  let afterCR = false;
  const endLine = () => {
    if (line === '') {
      if (data !== '' && (type === '' || type === 'message')) onMessage(data.slice(0, -1));
      data = '';
      type = '';
    } else if (!line.startsWith(':')) {
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data += `${value}\n`;
      else if (field === 'event') type = value;
    }
    line = '';
  };
  return (/** @type {string} */ chunk) => {
    for (const char of chunk) {
      // CRLF is one line ending: skip the LF that follows a CR.
      if (afterCR) {
        afterCR = false;
        if (char === '\n') continue;
      }
      if (char === '\r' || char === '\n') {
        afterCR = char === '\r';
        endLine();
      } else {
        line += char;
      }
    }
  };
}

function describe(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function clip(text) {
  return text.length > 120 ? `${text.slice(0, 120)}… (${text.length} chars)` : text;
}

/** @param {Observation} o */
function summary(o) {
  const parts = [`attempts=${o.attempts}`, `events=${o.events}`, `opened=${o.opened}`];
  if (o.readyStates.length > 0) parts.unshift(`readyStates=${o.readyStates.join(',')}`);
  if (o.fetchStatus !== null) parts.push(`status=${o.fetchStatus}`);
  if (o.fetchError !== null) parts.push(`error=${o.fetchError}`);
  parts.push(o.closedByTimeout ? 'stopped by timeout' : 'finished');
  return parts.join(' ');
}

function wireUp() {
  for (const section of document.querySelectorAll('[data-endpoint]')) {
    const log = section.querySelector('[data-log]');
    if (!log) continue;
    /** @type {AbortController | null} */
    let current = null;
    const append = (scenario, line) => {
      const item = document.createElement('li');
      item.className = line.kind;
      item.textContent = `+${String(line.at).padStart(5)} ms  ${scenario}  ${line.text}`;
      log.append(item);
      while (log.childElementCount > MAX_LOG_LINES) log.firstElementChild?.remove();
      log.scrollTop = log.scrollHeight;
    };
    section.querySelector('[data-stop]')?.addEventListener('click', () => current?.abort());
    for (const button of section.querySelectorAll('button[data-scenario]')) {
      button.addEventListener('click', () => {
        current?.abort();
        const controller = new AbortController();
        current = controller;
        const scenario = /** @type {Scenario} */ (button.dataset.scenario);
        // A fresh query per run keeps the browser's preflight cache (5 s by default) out of the picture.
        const url = new URL(button.dataset.url ?? '', location.href);
        url.searchParams.set('run', String(Date.now()));
        log.replaceChildren();
        void run(url.href, scenario, { timeoutMs: 15_000, signal: controller.signal, onLog: (line) => append(scenario, line) });
      });
    }
  }
}

window.ssePlayground = { run, scenarios: Object.keys(SCENARIOS) };
wireUp();
document.documentElement.dataset.playgroundReady = 'true';
