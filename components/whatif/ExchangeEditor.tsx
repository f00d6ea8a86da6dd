import type { Exchange } from '@/lib/model/record';
import type { ExchangeProblems } from '@/lib/whatif/scenario';
import type { ExchangeDraft, WhatIfAction } from '@/lib/whatif/state';
import { visibleText } from '../controls/format';
import { HeaderTextArea } from './HeaderTextArea';

export interface NotSent {
  /** e.g. "it was refused at its preflight". */
  readonly because: string;
  /** What the prefilled lines stand for, e.g. "a 200 event stream". */
  readonly assumed: string;
}

interface Props {
  readonly draft: ExchangeDraft;
  /** The exchange as the scenario sends it (its URL follows edited redirects). */
  readonly exchange: Exchange | undefined;
  readonly problems: ExchangeProblems | undefined;
  /** The request needs no preflight: a captured one is kept but the browser would not send it. */
  readonly unused: boolean;
  /** Why the browser never sent this exchange's request and what the editor assumed; null when it is captured or added by the user. */
  readonly notSent: NotSent | null;
  dispatch(action: WhatIfAction): void;
}

function title(draft: ExchangeDraft): string {
  if (draft.slot === 'preflight') return 'Preflight';
  if (draft.slot === 'final') return 'Final response';
  return `Redirect ${draft.slot.slice('redirect-'.length)}`;
}

/** One exchange of the attempt: its status and its response header lines, editable. */
export function ExchangeEditor({ draft, exchange, problems, unused, notSent, dispatch }: Props) {
  const id = `whatif-${draft.slot}`;
  return (
    <fieldset class="whatif-exchange" data-testid="whatif-exchange" data-exchange={draft.slot} data-captured={String(draft.captured !== null)}>
      <legend>
        {title(draft)}
        {notSent !== null ? <span class="badge whatif-assumed-badge">not captured, assumed</span> : null}{' '}
        {exchange ? (
          <code class="muted">
            {visibleText(exchange.method)} {visibleText(exchange.url)}
          </code>
        ) : null}
      </legend>
      {notSent !== null ? (
        <p class="notice" data-testid="whatif-assumed" data-exchange={draft.slot}>
          Not captured: the browser never sent this request ({notSent.because}). Assumed: {notSent.assumed}. Edit it to what the server really sends: the verdicts past the previous exchange rest on it.
        </p>
      ) : draft.captured === null ? (
        <p class="muted">Not captured: added here. Type what the server would answer.</p>
      ) : null}
      {unused ? <p class="muted">This request needs no preflight, so the browser would not send this one.</p> : null}
      <label class="inline-field">
        Status
        <input
          type="text"
          inputMode="numeric"
          class="whatif-status"
          data-testid="whatif-status"
          data-exchange={draft.slot}
          value={draft.status}
          placeholder="none"
          aria-invalid={Boolean(problems?.status)}
          onInput={(event) => dispatch({ type: 'set-status', slot: draft.slot, text: event.currentTarget.value })}
        />
      </label>
      {problems?.status ? <span class="field-problem"> {visibleText(problems.status)}</span> : null}
      <HeaderTextArea
        id={`${id}-headers`}
        label="Response headers"
        value={draft.headers}
        problems={problems?.headers ?? []}
        testId="whatif-response-headers"
        exchange={draft.slot}
        onInput={(text) => dispatch({ type: 'set-response-headers', slot: draft.slot, text })}
      />
    </fieldset>
  );
}
