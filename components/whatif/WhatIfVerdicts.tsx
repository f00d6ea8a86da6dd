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
export function WhatIfVerdicts({ captured, predicted }: { readonly captured: Verdicts; readonly predicted: Verdicts }) {
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
        >
          <strong>{row.label}:</strong> <span class="muted">captured</span> <span class={`badge outcome-${row.before}`}>{row.before}</span>
          {row.beforeName ? <code class="error-name">{row.beforeName}</code> : null}
          <span aria-label="becomes"> → </span>
          <span class={`badge outcome-${row.after}`}>{row.after}</span>
          {row.afterName ? <code class="error-name">{row.afterName}</code> : null}
        </p>
      ))}
    </div>
  );
}
