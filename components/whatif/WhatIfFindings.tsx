import type { Finding } from '@/lib/rules/define';
import { SeverityBadge } from '../controls/SeverityBadge';
import { visibleText } from '../controls/format';

interface Props {
  readonly findings: readonly Finding[];
  /** Rule ids the capture raised that the edited scenario no longer does. */
  readonly resolved: readonly string[];
  onTryFix(finding: Finding): void;
}

/** The edited scenario's findings, each with "Try this fix", which puts its fix's headers in the editor. */
export function WhatIfFindings({ findings, resolved, onTryFix }: Props) {
  return (
    <section class="whatif-findings" aria-label="Findings for the edited scenario">
      <h2 class="whatif-heading">Findings</h2>
      {resolved.length > 0 ? (
        <p class="whatif-resolved" data-testid="whatif-resolved">
          No longer raised: {resolved.map((id) => <code key={id} class="rule-id">{id}</code>)}
        </p>
      ) : null}
      {findings.length === 0 ? (
        <p class="no-findings">No problems found in the edited scenario.</p>
      ) : (
        <ol class="findings">
          {findings.map((finding, index) => (
            <li key={`${finding.ruleId}-${index}`} class={`finding severity-${finding.severity}-edge`} data-testid="whatif-finding" data-rule-id={finding.ruleId} data-severity={finding.severity}>
              <h3 class="finding-title">
                <SeverityBadge severity={finding.severity} /> {finding.title} <code class="rule-id">{finding.ruleId}</code>
              </h3>
              <p class="finding-message">{visibleText(finding.message)}</p>
              <p class="fix-summary">
                <strong>Fix:</strong> {visibleText(finding.fix.summary)}{' '}
                <button type="button" class="tool-button" data-testid="whatif-try-fix" data-rule-id={finding.ruleId} onClick={() => onTryFix(finding)}>
                  Try this fix
                </button>
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
