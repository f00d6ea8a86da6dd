import { useMemo } from 'preact/hooks';
import type { CapturedStream } from '@/lib/capture/captured';
import { TimelineFacts } from './TimelineFacts';
import { TimelineGraph } from './TimelineGraph';
import { timelineModel } from './model';

/** readyState, attempts and events on one time axis, with the figures that matter stated in words. */
export function TimelineTab({ stream }: { readonly stream: CapturedStream }) {
  const model = useMemo(() => timelineModel(stream.record, stream.retryLoop), [stream.record, stream.retryLoop]);
  return (
    <div class="timeline" data-testid="timeline">
      <TimelineFacts model={model} />
      <TimelineGraph model={model} />
    </div>
  );
}
