import type { ClientKind } from '@/lib/model/record';
import type { ScenarioProblems } from '@/lib/whatif/scenario';
import type { BodyBehaviour, WhatIfAction, WhatIfState } from '@/lib/whatif/state';
import { visibleText } from '../controls/format';
import { HeaderTextArea } from './HeaderTextArea';

interface Props {
  readonly state: WhatIfState;
  readonly problems: ScenarioProblems;
  /** The edited request needs a preflight the scenario does not have yet. */
  readonly preflightMissing: boolean;
  dispatch(action: WhatIfAction): void;
}

const BODY_LABELS: Readonly<Record<BodyBehaviour, string>> = {
  streams: 'keeps the stream open and sends events',
  silent: 'sends nothing after the headers',
  ends: 'sends, then ends the response',
  breaks: 'sends, then the connection breaks',
};

/** What the page asks for: its origin, the URL it opens, its client, method and credentials, the headers its code sets. */
export function RequestEditor({ state, problems, preflightMissing, dispatch }: Props) {
  const eventSource = state.client === 'eventsource';
  return (
    <fieldset class="whatif-request">
      <legend>The page</legend>
      <div class="whatif-fields">
        <label class="inline-field">
          Page origin
          <input
            type="text"
            class="whatif-origin"
            data-testid="whatif-origin"
            value={state.pageOrigin}
            spellcheck={false}
            aria-invalid={problems.pageOrigin !== null}
            aria-describedby={problems.pageOrigin ? 'whatif-origin-problem' : undefined}
            onInput={(event) => dispatch({ type: 'set-page-origin', value: event.currentTarget.value })}
          />
        </label>
        <label class="inline-field whatif-url-field">
          Stream URL
          <input
            type="text"
            class="whatif-url"
            data-testid="whatif-url"
            value={state.url}
            spellcheck={false}
            aria-invalid={problems.url !== null}
            aria-describedby={problems.url ? 'whatif-url-problem' : undefined}
            onInput={(event) => dispatch({ type: 'set-url', value: event.currentTarget.value })}
          />
        </label>
        <label class="inline-field">
          Client
          <select data-testid="whatif-client" value={state.client} onChange={(event) => dispatch({ type: 'set-client', client: event.currentTarget.value as ClientKind })}>
            <option value="eventsource">EventSource</option>
            <option value="fetch">fetch()</option>
          </select>
        </label>
        <label class="inline-field">
          Method
          <input
            type="text"
            class="whatif-method"
            data-testid="whatif-method"
            // EventSource always GETs: the typed method is kept for switching back to fetch().
            value={eventSource ? 'GET' : state.method}
            disabled={eventSource}
            spellcheck={false}
            size={7}
            aria-invalid={!eventSource && problems.method !== null}
            aria-describedby={!eventSource && problems.method ? 'whatif-method-problem' : undefined}
            onInput={(event) => dispatch({ type: 'set-method', value: event.currentTarget.value })}
          />
        </label>
        <label class="inline-field">
          <input type="checkbox" data-testid="whatif-credentials" checked={state.credentials} onChange={(event) => dispatch({ type: 'set-credentials', credentials: event.currentTarget.checked })} />
          {eventSource ? 'withCredentials' : "credentials: 'include'"}
        </label>
        <label class="inline-field">
          The server
          <select data-testid="whatif-body" value={state.body} onChange={(event) => dispatch({ type: 'set-body', body: event.currentTarget.value as BodyBehaviour })}>
            {(Object.keys(BODY_LABELS) as BodyBehaviour[]).map((body) => (
              <option key={body} value={body}>
                {BODY_LABELS[body]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {problems.pageOrigin ? (
        <p class="field-problem" id="whatif-origin-problem" data-testid="whatif-origin-problem">
          {visibleText(problems.pageOrigin)}; the captured origin is used meanwhile.
        </p>
      ) : null}
      {problems.url ? (
        <p class="field-problem" id="whatif-url-problem" data-testid="whatif-url-problem">
          {visibleText(problems.url)}; the captured URL is used meanwhile.
        </p>
      ) : null}
      {!eventSource && problems.method ? (
        <p class="field-problem" id="whatif-method-problem" data-testid="whatif-method-problem">
          {visibleText(problems.method)}; the captured method is used meanwhile.
        </p>
      ) : null}
      <HeaderTextArea
        id="whatif-request-headers"
        label={eventSource ? 'Request headers (EventSource cannot set any: switch to fetch() to send these)' : 'Request headers the page sets'}
        value={state.requestHeaders}
        problems={eventSource ? [] : problems.requestHeaders}
        testId="whatif-request-headers"
        disabled={eventSource}
        placeholder="X-API-Key: demo"
        onInput={(text) => dispatch({ type: 'set-request-headers', text })}
      />
      {preflightMissing ? (
        <p class="notice" data-testid="whatif-preflight-missing">
          This request needs a preflight and the capture has none: it is assumed to pass.{' '}
          <button type="button" class="tool-button" data-testid="whatif-add-preflight" onClick={() => dispatch({ type: 'add-preflight' })}>
            Add the preflight
          </button>
        </p>
      ) : null}
    </fieldset>
  );
}
