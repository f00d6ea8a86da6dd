import type { Exchange } from '@/lib/model/record';
import { formatBytes, formatDuration, visibleText } from '../controls/format';
import { HeaderLines } from './HeaderLines';
import type { ExchangeMarks } from '@/lib/model/header-marks';

interface Props {
  readonly exchange: Exchange;
  readonly index: number;
  readonly marks: ExchangeMarks | undefined;
}

const KIND_LABELS = { preflight: 'Preflight', redirect: 'Redirect', response: 'Response' } as const;

export function ExchangeBlock({ exchange, index, marks }: Props) {
  const { timing } = exchange;
  const status = exchange.status === null ? 'no response' : `${exchange.status}${exchange.statusText ? ` ${exchange.statusText}` : ''}`;
  const missing = marks?.missing ?? [];
  return (
    <details class="exchange" open data-testid="exchange" data-kind={exchange.kind} data-attempt={exchange.attempt}>
      <summary>
        <span class="exchange-kind">{KIND_LABELS[exchange.kind]} #{index + 1}</span> · attempt {exchange.attempt} ·{' '}
        <code>
          {visibleText(exchange.method)} {visibleText(exchange.url)}
        </code>{' '}
        → <strong>{status}</strong>
        {exchange.httpVersion ? <span class="muted"> {exchange.httpVersion}</span> : null}
        {timing.responseAt !== null ? <span class="muted"> · response after {formatDuration(timing.responseAt - timing.startedAt)}</span> : null}
        {exchange.bodyBytes > 0 ? <span class="muted"> · {formatBytes(exchange.bodyBytes)}</span> : null}
        {exchange.bodyEnd ? <span class="muted"> · ended by {exchange.bodyEnd}</span> : null}
      </summary>
      {exchange.error ? <p class="exchange-error">Network error: {visibleText(exchange.error)}</p> : null}
      <div class="header-columns">
        <HeaderLines title="Request headers" lines={exchange.requestHeaders} marks={marks?.request} missing={missing.filter((m) => m.side === 'request')} />
        <HeaderLines title="Response headers" lines={exchange.responseHeaders} marks={marks?.response} missing={missing.filter((m) => m.side === 'response')} />
      </div>
    </details>
  );
}
