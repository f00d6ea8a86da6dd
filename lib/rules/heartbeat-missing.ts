import type { RuleContext } from './context';
import { defineRule, evidence, NO_FINDINGS } from './define';
import { reconnectLoop } from './reconnect-loop';
import { attemptOpened, attemptSummaries, type AttemptSummary } from './support/stream';

/** Proxy and load-balancer idle timeouts start around 30 s (browser-facts §6). */
const GAP_MS = 30_000;

interface QuietGap {
  readonly attempt: AttemptSummary;
  readonly gapMs: number;
  readonly after: 'open' | 'event';
}

const STREAMED = new Set<AttemptSummary['end']>(['open', 'server-ended', 'broken']);

function streamedAttempts(context: RuleContext): readonly AttemptSummary[] {
  return context.derive(findStreamedAttempts);
}

function findStreamedAttempts(context: RuleContext): readonly AttemptSummary[] {
  const all = attemptSummaries(context);
  const streamed = (a: AttemptSummary) => STREAMED.has(a.end) && attemptOpened(context, a.attempt);
  // Usually every attempt streamed (most records have one): share the list rather than copy it.
  return all.every(streamed) ? all : all.filter(streamed);
}

function longestGap(context: RuleContext, attempt: AttemptSummary): QuietGap | null {
  const { record } = context;
  const { responseAt, startedAt, endedAt } = attempt.exchange.timing;
  const end = endedAt ?? (attempt.end === 'open' ? record.observedFor : null);
  // An attempt watched for less than the gap cannot contain one: skip the event scan.
  if (end === null || end - startedAt < GAP_MS) return null;
  const events = record.events.filter((e) => e.attempt === attempt.attempt).sort((a, b) => a.at - b.at);
  // Nothing at all arrived: that silence is proxy-buffering's (or content-encoding-on-stream's) finding.
  if (events.length === 0) return null;
  // Bytes beyond the events' own are comments (or partial events): the server already sends something.
  const eventBytes = events.reduce((sum, e) => sum + e.size, 0);
  if (attempt.exchange.bodyBytes > eventBytes) return null;
  const opened = record.readyStates.find((t) => t.attempt === attempt.attempt && t.state === 1)?.at;
  const marks = [opened ?? responseAt ?? startedAt, ...events.map((e) => e.at), end];
  let best: QuietGap | null = null;
  for (let i = 1; i < marks.length; i++) {
    const gapMs = (marks[i] as number) - (marks[i - 1] as number);
    if (gapMs >= GAP_MS && (!best || gapMs > best.gapMs)) best = { attempt, gapMs, after: i === 1 ? 'open' : 'event' };
  }
  return best;
}

export default defineRule<'quiet-gap'>({
  id: 'heartbeat-missing',
  title: 'Stream sends a heartbeat',
  failureTitle: 'Stream goes quiet without a heartbeat',
  severity: 'warning',
  docsUrl: 'https://html.spec.whatwg.org/multipage/server-sent-events.html#authoring-notes',
  messages: {
    'quiet-gap': (d) =>
      `The stream went ${Math.round(Number(d.gapMs) / 1000)} s without an event ${d.after === 'open' ? 'between opening and its first event' : 'between events'}, and sends no comments: a proxy with a 30-100 s idle timeout will cut it.`,
  },
  appliesTo: (context) => streamedAttempts(context).length > 0,
  check(context) {
    // A loop of idle-timeout cuts is reconnect-loop's finding, and it gives the same heartbeat advice.
    if (reconnectLoop(context)?.messageId === 'idle-timeout') return NO_FINDINGS;
    let worst: QuietGap | null = null;
    for (const attempt of streamedAttempts(context)) {
      const gap = longestGap(context, attempt);
      if (gap && (!worst || gap.gapMs > worst.gapMs)) worst = gap;
    }
    if (!worst) return NO_FINDINGS;
    return [
      {
        messageId: 'quiet-gap',
        data: { gapMs: worst.gapMs, after: worst.after, attempt: worst.attempt.attempt },
        evidence: [evidence({ exchangeIndex: worst.attempt.index, note: `${worst.gapMs} ms without data` })],
      },
    ];
  },
  fix: () => ({ summary: 'Write a comment line (`: ping` followed by a blank line) every 15 s and flush it.', plan: { heartbeatSeconds: 15 } }),
});
