import type { RetryLoopCause } from '@/lib/capture/captured';
import { formatDuration } from '../controls/format';
import type { TimelineModel } from './model';

const CAUSES: Readonly<Record<RetryLoopCause, string>> = {
  'server-ends-response': 'the server ends every response',
  'network-error': 'the connection breaks',
  'idle-timeout': 'something (often a proxy) closes idle streams',
  'short-retry': 'the server asks for a very short retry delay',
  unknown: 'unknown',
};

/** The timeline's figures in words, so they are readable without the drawing. */
export function TimelineFacts({ model }: { readonly model: TimelineModel }) {
  const loop = model.retryLoop;
  const gaps = model.reconnectGaps.map((gap) => gap.to - gap.from).sort((a, b) => a - b);
  const medianGap = gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)] : undefined;
  const interval = loop?.intervalMs ?? medianGap ?? null;
  return (
    <dl class="facts" data-testid="timeline-facts">
      <dt>Time to first byte</dt>
      <dd data-testid="ttfb">{model.timeToFirstByte === null ? 'no response' : formatDuration(model.timeToFirstByte)}</dd>
      <dt>First event</dt>
      <dd data-testid="first-event">{model.firstEventAt === null ? 'none received' : `after ${formatDuration(model.firstEventAt)}`}</dd>
      <dt>Attempts</dt>
      <dd data-testid="timeline-attempts">{model.attempts.length}</dd>
      {interval !== null ? (
        <>
          <dt>{loop ? 'Retry loop' : 'Reconnects'}</dt>
          <dd data-testid="retry-interval">
            every {formatDuration(interval)}
            {loop?.attemptDurationMs != null ? `, each attempt lasting ${formatDuration(loop.attemptDurationMs)}` : ''}
            {loop ? `; cause: ${CAUSES[loop.cause]}` : ''}
            {loop?.resumesLastEventId ? '; resumes with Last-Event-ID' : ''}
          </dd>
        </>
      ) : null}
    </dl>
  );
}
