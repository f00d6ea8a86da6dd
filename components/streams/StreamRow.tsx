import type { CapturedStream } from '@/lib/capture/captured';
import { attemptsOf, eventCount, verdictsDiffer } from '@/lib/panel/selectors';
import { OutcomeBadge } from '../controls/OutcomeBadge';
import { formatClock, hostOf, pathOf, visibleText } from '../controls/format';

export const rowId = (index: number) => `stream-row-${index}`;

interface Props {
  readonly stream: CapturedStream;
  readonly index: number;
  readonly selected: boolean;
  onChoose(): void;
}

/** A stream row; its data-* attributes are the DOM contract tests and tooling rely on. */
export function StreamRow({ stream, index, selected, onChoose }: Props) {
  const { record, analysis } = stream;
  const { chromium, firefox } = analysis.verdicts;
  const attempts = attemptsOf(stream);
  const client = record.client.kind === 'eventsource' ? 'EventSource' : `fetch ${record.client.method}`;
  return (
    <tr
      id={rowId(index)}
      aria-selected={selected}
      aria-rowindex={index + 2}
      class={selected ? 'selected' : ''}
      onClick={onChoose}
      data-testid="stream-row"
      data-url={record.url}
      data-outcome={stream.observed}
      data-cors-error={chromium.corsError ?? ''}
      data-firefox-reason={firefox.reason ?? ''}
      data-attempts={String(attempts)}
    >
      <td>{client}</td>
      <td class="url" title={visibleText(record.url)}>
        <span class="url-path">{visibleText(pathOf(record.url))}</span> <span class="url-host">{visibleText(hostOf(record.url))}</span>
      </td>
      <td class="origin" title={visibleText(record.pageOrigin)}>
        {visibleText(hostOf(record.pageOrigin) || record.pageOrigin)}
      </td>
      <td class="outcome">
        <OutcomeBadge outcome={stream.observed} />
        {verdictsDiffer(stream) ? (
          <span class="verdict-split" data-testid="verdict-split" title={`Chromium ${chromium.outcome}, Firefox ${firefox.outcome}`}>
            {/* Abbreviated to fit the row; the full words are what assistive technology reads. */}
            <span aria-hidden="true"> Cr {chromium.outcome} · Fx {firefox.outcome}</span>
            <span class="visually-hidden">Chromium {chromium.outcome} · Firefox {firefox.outcome}</span>
          </span>
        ) : null}
      </td>
      <td class="num">{attempts}</td>
      <td class="num">{eventCount(stream)}</td>
      <td class="num">{formatClock(stream.lastActivityAt)}</td>
    </tr>
  );
}
