import { useState } from 'preact/hooks';
import { copyText } from './copy';

interface Props {
  readonly text: string;
  /** What is copied, for screen readers: "Copy curl command". */
  readonly label: string;
}

export function CopyButton({ text, label }: Props) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => setStatus((await copyText(text)) ? 'copied' : 'failed');
  return (
    <span class="copy">
      <button type="button" class="tool-button" aria-label={label} onClick={copy} data-testid="copy-button">
        Copy
      </button>
      <span class="copy-status" role="status">
        {status === 'copied' ? 'Copied' : status === 'failed' ? 'Copy failed: select the text instead' : ''}
      </span>
    </span>
  );
}
