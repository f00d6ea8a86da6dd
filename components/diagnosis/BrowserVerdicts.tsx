import type { Verdicts } from '@/lib/cors/verdict';
import { visibleText } from '../controls/format';

/**
 * Both browsers side by side, each in its own words: Chromium's corsError, Firefox's reason and,
 * when no finding repeats them, the console lines.
 */
export function BrowserVerdicts({ verdicts, showConsole }: { readonly verdicts: Verdicts; readonly showConsole: boolean }) {
  const { chromium, firefox } = verdicts;
  return (
    <div class="verdicts" data-testid="browser-verdicts">
      <BrowserVerdict
        browser="Chromium"
        outcome={chromium.outcome}
        name={chromium.corsError}
        detail={chromium.failedParameter ? `failed parameter: ${chromium.failedParameter}` : null}
        console={showConsole ? chromium.console : null}
      />
      <BrowserVerdict browser="Firefox" outcome={firefox.outcome} name={firefox.reason} detail={null} console={showConsole ? firefox.console : null} />
    </div>
  );
}

interface VerdictProps {
  readonly browser: 'Chromium' | 'Firefox';
  readonly outcome: string;
  readonly name: string | null;
  readonly detail: string | null;
  /** null: the findings below show the console lines. */
  readonly console: readonly string[] | null;
}

export function BrowserVerdict({ browser, outcome, name, detail, console }: VerdictProps) {
  return (
    <section class="verdict" aria-label={`${browser} verdict`} data-testid={`verdict-${browser.toLowerCase()}`}>
      <h2>
        {browser} <span class={`badge outcome-${outcome}`}>{outcome}</span>
        {name ? <code class="error-name">{name}</code> : null}
      </h2>
      {detail ? <p class="verdict-detail">{visibleText(detail)}</p> : null}
      {console === null ? null : <ConsoleLines lines={console} />}
    </section>
  );
}

/** What the browser printed in its console, line by line, exactly. */
export function ConsoleLines({ lines }: { readonly lines: readonly string[] }) {
  if (lines.length === 0) return <p class="verdict-detail">No console message.</p>;
  return (
    <>
      {lines.map((line, index) => (
        <pre key={index} class="console-line" data-testid="console-line">
          {visibleText(line)}
        </pre>
      ))}
    </>
  );
}
