import { useMemo } from 'preact/hooks';
import { PLATFORM_LABELS } from '@/lib/fixes/plan';
import type { Finding } from '@/lib/rules/define';
import { usePanel } from '../app/store-context';
import { CopyButton } from '../controls/CopyButton';
import { PlatformPicker } from '../controls/PlatformPicker';
import { useSnippetRenderer } from './use-snippet-renderer';

/** The fix: one line of what to change, then a complete handler for the chosen server stack. */
export function FixBlock({ finding, index }: { readonly finding: Finding; readonly index: number }) {
  const { store } = usePanel();
  const platform = store.settings.state.value.platform;
  const renderer = useSnippetRenderer(platform);
  const render = renderer.status === 'ready' ? renderer.render : null;
  const snippet = useMemo(() => (render ? render(finding.fix.plan) : null), [finding, render]);
  const pickerId = `fix-platform-${index}`;
  return (
    <section class="fix" aria-label={`Fix for ${finding.ruleId}`} data-testid="fix">
      <p class="fix-summary">
        <strong>Fix:</strong> {finding.fix.summary}
      </p>
      <div class="fix-controls">
        <PlatformPicker id={pickerId} platform={platform} onChange={(chosen) => store.settings.set({ platform: chosen })} />
        {snippet ? <CopyButton text={snippet.code} label={`Copy ${PLATFORM_LABELS[platform]} fix`} /> : null}
        <a href={finding.docsUrl} target="_blank" rel="noreferrer" class="docs-link">
          Docs
        </a>
      </div>
      {snippet ? (
        <pre class="snippet" data-testid="fix-snippet" data-platform={snippet.platform} data-language={snippet.language} tabIndex={0} role="region" aria-label={`${PLATFORM_LABELS[platform]} fix`}>
          <code>{snippet.code}</code>
        </pre>
      ) : renderer.status === 'failed' ? (
        <p class="field-problem" role="alert">
          The {PLATFORM_LABELS[platform]} fix could not be loaded.
        </p>
      ) : (
        <p class="muted" data-testid="fix-loading" aria-busy="true">
          Loading the {PLATFORM_LABELS[platform]} fix…
        </p>
      )}
    </section>
  );
}
