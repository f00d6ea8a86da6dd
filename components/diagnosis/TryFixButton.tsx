import type { CapturedStream } from '@/lib/capture/captured';
import type { Finding } from '@/lib/rules/define';
import { useShowDetailTab } from '../app/detail-tab';
import { usePanel } from '../app/store-context';

/**
 * Puts the fix's headers into the stream's what-if editor and opens it, so the fix is checked
 * against both browsers before anyone touches the server. The edit lands on the stream's draft,
 * on top of what was already edited there.
 */
export function TryFixButton({ finding, stream }: { readonly finding: Finding; readonly stream: CapturedStream }) {
  const { store } = usePanel();
  const show = useShowDetailTab();
  const tryFix = () => {
    store.whatIf.dispatch(stream, { type: 'apply-fix', ruleId: finding.ruleId, plan: finding.fix.plan });
    show('whatif');
  };
  return (
    <button type="button" class="tool-button try-fix" data-testid="try-fix" onClick={tryFix} title="Check this fix in the What if tab">
      Try this fix in What if
    </button>
  );
}
