import { useState } from 'preact/hooks';
import type { CapturedStream } from '@/lib/capture/captured';
import { usePanel } from '../app/store-context';
import { copyText } from '../controls/copy';

/** "Copy as Markdown": one finding, redacted, with its evidence, the fix for the chosen stack and its stream. Built on click. */
export function CopyFindingMarkdown({ stream, index }: { readonly stream: CapturedStream; readonly index: number }) {
  const { store, host } = usePanel();
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    const { findingMarkdown, newRedactionSalt } = await import('@/lib/panel/export');
    const text = findingMarkdown(stream, index, {
      toolVersion: host.toolVersion,
      generatedAt: new Date(),
      platform: store.settings.state.value.platform,
      redact: true,
      redactionSalt: newRedactionSalt(),
    });
    setStatus((await copyText(text)) ? 'copied' : 'failed');
  };
  return (
    <span class="copy">
      <button type="button" class="tool-button" onClick={copy} data-testid="copy-markdown">
        Copy as Markdown
      </button>
      <span class="copy-status" role="status">
        {status === 'copied' ? 'Copied' : status === 'failed' ? 'Copy failed' : ''}
      </span>
    </span>
  );
}
