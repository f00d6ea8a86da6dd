import type { ComponentChildren } from 'preact';
import type { ReadyState } from '@/lib/model/record';
import { formatDuration } from '../controls/format';
import type { TimelineModel } from './model';

const READY_STATE_NAMES: Readonly<Record<ReadyState, string>> = { 0: 'CONNECTING', 1: 'OPEN', 2: 'CLOSED' };
/** Gap labels stop being readable past this many reconnects; the facts above still give the interval. */
const MAX_GAP_LABELS = 24;

const pct = (t: number, span: number) => `${Math.max(0, Math.min(100, (t / span) * 100))}%`;
const widthPct = (start: number, end: number, span: number) => `${Math.max(0, Math.min(100, ((end - start) / span) * 100))}%`;

/** The drawing: divs positioned in percent of the axis, so it scales with the pane and needs no layout pass. */
export function TimelineGraph({ model }: { readonly model: TimelineModel }) {
  const { span } = model;
  const summary = `Timeline over ${formatDuration(span)}: ${model.attempts.length} attempts, ${model.eventBins.reduce((n, b) => n + b.count, 0)} events.`;
  const maxBin = model.eventBins.reduce((max, bin) => Math.max(max, bin.count), 1);
  return (
    <div class="timeline-graph" role="img" aria-label={summary} data-testid="timeline-graph">
      <Lane label="readyState">
        {model.readyStates.map((span_, i) => (
          <div key={i} class={`ready-state rs-${span_.state}`} style={{ left: pct(span_.start, span), width: widthPct(span_.start, span_.end, span) }} title={READY_STATE_NAMES[span_.state]} data-testid="ready-state">
            <span class="bar-label">{READY_STATE_NAMES[span_.state]}</span>
          </div>
        ))}
      </Lane>
      {model.attempts.map((lane) => (
        <Lane key={lane.attempt} label={`attempt ${lane.attempt}`}>
          {lane.segments.map((segment, i) => (
            <div
              key={i}
              class={`segment seg-${segment.kind} ${segment.status === null ? 'seg-error' : ''} ${lane.stillOpen && i === lane.segments.length - 1 ? 'seg-open' : ''}`}
              style={{ left: pct(segment.start, span), width: widthPct(segment.start, segment.end, span) }}
              title={`${segment.kind} ${segment.status ?? 'no response'}`}
              data-testid="attempt-segment"
            />
          ))}
        </Lane>
      ))}
      {model.reconnectGaps.length > 0 && model.reconnectGaps.length <= MAX_GAP_LABELS ? (
        <Lane label="reconnect">
          {model.reconnectGaps.map((gap, i) => (
            <div key={i} class="gap" style={{ left: pct(gap.from, span), width: widthPct(gap.from, gap.to, span) }} data-testid="reconnect-gap">
              <span class="bar-label">{formatDuration(gap.to - gap.from)}</span>
            </div>
          ))}
        </Lane>
      ) : null}
      <Lane label="events">
        {model.eventBins.map((bin, i) => (
          <div key={i} class="event-bin" style={{ left: pct(bin.start, span), width: widthPct(bin.start, bin.end, span), opacity: 0.35 + (0.65 * bin.count) / maxBin }} title={`${bin.count} events`} />
        ))}
        {model.firstEventAt !== null ? <div class="marker first-event" style={{ left: pct(model.firstEventAt, span) }} title="first event" /> : null}
      </Lane>
      <div class="axis" aria-hidden="true">
        <span class="lane-label" />
        <div class="track">
          {model.ticks.map((tick) => (
            <span key={tick} class="tick" style={{ left: pct(tick, span) }}>
              {formatDuration(tick)}
            </span>
          ))}
        </div>
      </div>
    </div>
  );
}

function Lane({ label, children }: { readonly label: string; readonly children: ComponentChildren }) {
  return (
    <div class="lane" aria-hidden="true">
      <span class="lane-label">{label}</span>
      <div class="track">{children}</div>
    </div>
  );
}
