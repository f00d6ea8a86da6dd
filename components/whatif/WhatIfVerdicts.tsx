import type { Outcome, Verdicts } from '@/lib/cors/verdict';

interface VerdictChange {
  readonly browser: 'chromium' | 'firefox';
  readonly label: 'Chromium' | 'Firefox';
  readonly before: Outcome;
  readonly beforeName: string | null;
  readonly after: Outcome;
  readonly afterName: string | null;
}

/**
 * Both browsers' verdicts for the edited scenario beside the captured ones: "Chromium: blocked
 * (WildcardOriginNotAllowed) → open". `data-outcome` and `data-cors-error` / `data-reason` are the
 * edited scenario's (DOM contract).
 */
/** Where a predicted verdict was decided: the exchange's slot, and whether its lines are assumed (never captured). */
export interface DecidedAt {
  readonly slot: 'preflight' | 'redirect' | 'final';
  readonly assumed: boolean;
}

const WHERE: Readonly<Record<DecidedAt['slot'], string>> = { preflight: 'at the preflight', redirect: 'at a redirect', final: 'at the final response' };

interface Props {
  readonly captured: Verdicts;
  readonly predicted: Verdicts;
  /** Per browser, where the predicted verdict was decided; null when no exchange decided it. */
  readonly decidedAt: Readonly<Record<'chromium' | 'firefox', DecidedAt | null>>;
}

export function WhatIfVerdicts({ captured, predicted, decidedAt }: Props) {
  const rows: VerdictChange[] = [
    { browser: 'chromium', label: 'Chromium', before: captured.chromium.outcome, beforeName: captured.chromium.corsError, after: predicted.chromium.outcome, afterName: predicted.chromium.corsError },
    { browser: 'firefox', label: 'Firefox', before: captured.firefox.outcome, beforeName: captured.firefox.reason, after: predicted.firefox.outcome, afterName: predicted.firefox.reason },
  ];
  return (
    <div class="whatif-verdicts" role="status" aria-live="polite" aria-label="Verdicts: captured and edited">
      {rows.map((row) => (
        <p
          key={row.browser}
          class="whatif-verdict"
          data-testid="whatif-verdict"
          data-browser={row.browser}
          data-outcome={row.after}
          {...(row.browser === 'chromium' ? { 'data-cors-error': row.afterName ?? '' } : { 'data-reason': row.afterName ?? '' })}
          data-decided-at={decidedAt[row.browser]?.slot ?? ''}
          data-assumed={String(decidedAt[row.browser]?.assumed ?? false)}
        >
          <strong>{row.label}:</strong> <span class="muted">captured</span> <span class={`badge outcome-${row.before}`}>{row.before}</span>
          {row.beforeName ? <code class="error-name">{row.beforeName}</code> : null}
          <span aria-label="becomes"> → </span>
          <span class={`badge outcome-${row.after}`}>{row.after}</span>
          {row.afterName ? <code class="error-name">{row.afterName}</code> : null}
          {decidedAt[row.browser] ? (
            <span class="muted" data-testid="whatif-verdict-where">
              {' '}
              {WHERE[(decidedAt[row.browser] as DecidedAt).slot]}
              {(decidedAt[row.browser] as DecidedAt).assumed ? ', which is assumed: the browser never sent that request' : ''}
            </span>
          ) : null}
        </p>
      ))}
    </div>
  );
}
