import type { Verdicts } from '@/lib/cors/verdict';
import { visibleText } from '../controls/format';

/** Both browsers side by side, each in its own words: Chromium's corsError, Firefox's reason, the console lines. */
export function BrowserVerdicts({ verdicts }: { readonly verdicts: Verdicts }) {
  const { chromium, firefox } = verdicts;
  return (
    <div class="verdicts" data-testid="browser-verdicts">
      <BrowserVerdict
        browser="Chromium"
        outcome={chromium.outcome}
        name={chromium.corsError}
        detail={chromium.failedParameter ? `failed parameter: ${chromium.failedParameter}` : null}
        console={chromium.console}
      />
      <BrowserVerdict browser="Firefox" outcome={firefox.outcome} name={firefox.reason} detail={null} console={firefox.console} />
    </div>
  );
}

interface VerdictProps {
  readonly browser: 'Chromium' | 'Firefox';
  readonly outcome: string;
  readonly name: string | null;
  readonly detail: string | null;
  readonly console: readonly string[];
}

export function BrowserVerdict({ browser, outcome, name, detail, console }: VerdictProps) {
  return (
    <section class="verdict" aria-label={`${browser} verdict`} data-testid={`verdict-${browser.toLowerCase()}`}>
      <h2>
        {browser} <span class={`badge outcome-${outcome}`}>{outcome}</span>
        {name ? <code class="error-name">{name}</code> : null}
      </h2>
      {detail ? <p class="verdict-detail">{visibleText(detail)}</p> : null}
      {console.length > 0 ? (
        console.map((line, index) => (
          <pre key={index} class="console-line" data-testid="console-line">
            {visibleText(line)}
          </pre>
        ))
      ) : (
        <p class="verdict-detail">No console message.</p>
      )}
    </section>
  );
}
