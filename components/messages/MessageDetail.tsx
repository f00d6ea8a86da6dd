import type { StreamEvent } from '@/lib/model/record';
import type { MessageDataView } from '@/lib/panel/settings';
import { CopyButton } from '../controls/CopyButton';
import { formatBytes, formatDuration, visibleText } from '../controls/format';
import { formatData } from './view';

interface Props {
  readonly event: StreamEvent;
  readonly view: MessageDataView;
  onView(view: MessageDataView): void;
}

/** The selected message in full, as text or indented JSON; never interpreted as HTML. */
export function MessageDetail({ event, view, onView }: Props) {
  const shown = formatData(event.data, view);
  return (
    <section class="message-detail" aria-label="Selected message" data-testid="message-detail">
      <div class="message-detail-bar">
        <span>
          <strong>{visibleText(event.type)}</strong>
          {event.id !== null ? ` · id ${visibleText(event.id)}` : ''} · {formatBytes(event.size)} · at {formatDuration(event.at)} · attempt {event.attempt}
        </span>
        <span role="radiogroup" aria-label="Show data as" class="segmented">
          {(['text', 'json'] as const).map((option) => (
            <button key={option} type="button" role="radio" aria-checked={view === option} class="tool-button" onClick={() => onView(option)} data-testid={`view-${option}`}>
              {option === 'text' ? 'Text' : 'JSON'}
            </button>
          ))}
        </span>
        <CopyButton text={event.data} label="Copy message data" />
      </div>
      {view === 'json' && !shown.json ? <p class="muted">Not valid JSON: shown as text.</p> : null}
      <pre class="message-data" data-testid="message-data" tabIndex={0} role="region" aria-label="Message data">
        {shown.text}
      </pre>
    </section>
  );
}
