import type { Verdicts } from '@/lib/cors/verdict';
import type { Finding } from '@/lib/rules/define';
import { ConsoleLines } from './BrowserVerdicts';

/**
 * What this finding means in each browser: the outcome, the browser's own error name, and the
 * console lines it prints for this stream.
 */
export function FindingEffect({ finding, verdicts }: { readonly finding: Finding; readonly verdicts: Verdicts }) {
  const { chromium, firefox } = verdicts;
  return (
    <dl class="finding-effect">
      <dt>Chromium</dt>
      <dd data-testid="effect-chromium">
        <span class={`badge outcome-${finding.effect.chromium}`}>{finding.effect.chromium}</span>
        {chromium.corsError ? <code class="error-name">{chromium.corsError}</code> : null}
        <ConsoleLines lines={chromium.console} />
      </dd>
      <dt>Firefox</dt>
      <dd data-testid="effect-firefox">
        <span class={`badge outcome-${finding.effect.firefox}`}>{finding.effect.firefox}</span>
        {firefox.reason ? <code class="error-name">{firefox.reason}</code> : null}
        <ConsoleLines lines={firefox.console} />
      </dd>
    </dl>
  );
}
