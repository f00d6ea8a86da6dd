import { useMemo } from 'preact/hooks';
import type { CapturedStream } from '@/lib/capture/captured';
import { ExchangeBlock } from './ExchangeBlock';
import { headerMarks } from '@/lib/model/header-marks';

/** Every exchange of the stream (preflight, redirect hops, each attempt's response), headers raw and in order. */
export function HeadersTab({ stream }: { readonly stream: CapturedStream }) {
  const { exchanges } = stream.record;
  const marks = useMemo(() => headerMarks(exchanges, stream.analysis.findings), [exchanges, stream.analysis.findings]);
  if (exchanges.length === 0) return <p class="tab-empty">No request has been seen for this stream yet.</p>;
  return (
    <div class="headers-tab" data-testid="headers">
      {exchanges.map((exchange, index) => (
        <ExchangeBlock key={index} exchange={exchange} index={index} marks={marks[index]} />
      ))}
    </div>
  );
}
