import type { CapturedStream, ObservedOutcome } from '../capture/captured';
import { SEVERITY_RANK, type Severity } from '../rules/define';
import type { StreamSort } from './settings';
import type { FilterState } from './state';

/** Pure views over the panel state: what the list shows, in which order, and what counts as a problem. */

const PROBLEM_OUTCOMES: ReadonlySet<ObservedOutcome> = new Set(['blocked', 'failed', 'reconnecting']);

/** The most severe finding's severity, or null without findings. Findings come most severe first. */
export function worstSeverity(stream: CapturedStream): Severity | null {
  return stream.analysis.findings[0]?.severity ?? null;
}

/**
 * A stream that needs the user's attention: it did not work as observed, one browser would not
 * let it work, or the engine found an error or a warning. Info findings alone are not problems.
 */
export function isProblem(stream: CapturedStream): boolean {
  if (PROBLEM_OUTCOMES.has(stream.observed)) return true;
  const { chromium, firefox } = stream.analysis.verdicts;
  if (chromium.outcome !== 'open' || firefox.outcome !== 'open') return true;
  const worst = worstSeverity(stream);
  return worst === 'error' || worst === 'warning';
}

/** Chromium and Firefox disagree about this stream: the list then shows both verdicts. */
export function verdictsDiffer(stream: CapturedStream): boolean {
  const { chromium, firefox } = stream.analysis.verdicts;
  return chromium.outcome !== firefox.outcome;
}

/** Connection attempts: 1 plus the reconnects, from the record's exchanges. */
export function attemptsOf(stream: CapturedStream): number {
  let attempts = stream.retryLoop?.attempts ?? 0;
  for (const exchange of stream.record.exchanges) if (exchange.attempt > attempts) attempts = exchange.attempt;
  return Math.max(1, attempts);
}

/** Events received, including those the capture dropped past its per-stream cap. */
export function eventCount(stream: CapturedStream): number {
  return stream.record.events.length + stream.record.droppedEvents;
}

export function matchesFilters(stream: CapturedStream, filters: FilterState): boolean {
  if (filters.outcome !== 'all' && stream.observed !== filters.outcome) return false;
  if (filters.onlyProblems && !isProblem(stream)) return false;
  const text = filters.text.trim().toLowerCase();
  return text === '' || stream.record.url.toLowerCase().includes(text);
}

const COMPARATORS: Readonly<Record<StreamSort, (a: CapturedStream, b: CapturedStream) => number>> = {
  started: (a, b) => a.startedAt - b.startedAt,
  activity: (a, b) => b.lastActivityAt - a.lastActivityAt,
  severity: (a, b) => severityRank(b) - severityRank(a) || Number(isProblem(b)) - Number(isProblem(a)) || a.startedAt - b.startedAt,
  url: (a, b) => (a.record.url < b.record.url ? -1 : a.record.url > b.record.url ? 1 : 0),
};

function severityRank(stream: CapturedStream): number {
  const worst = worstSeverity(stream);
  return worst === null ? 0 : SEVERITY_RANK[worst];
}

/** The rows of the stream list: filtered, then sorted (stable: remaining ties keep first-seen order). */
export function visibleStreams(
  byKey: ReadonlyMap<string, CapturedStream>,
  filters: FilterState,
  sort: StreamSort,
): CapturedStream[] {
  const rows: CapturedStream[] = [];
  for (const stream of byKey.values()) if (matchesFilters(stream, filters)) rows.push(stream);
  return rows.sort(COMPARATORS[sort]);
}

/** How many streams each observed outcome has, for the outcome filter's labels. */
export function outcomeCounts(byKey: ReadonlyMap<string, CapturedStream>): Readonly<Record<ObservedOutcome, number>> {
  const counts: Record<ObservedOutcome, number> = { connecting: 0, open: 0, reconnecting: 0, blocked: 0, failed: 0, closed: 0 };
  for (const stream of byKey.values()) counts[stream.observed]++;
  return counts;
}

/** The key next to `key` in `rows` (keyboard up/down), staying at the ends. */
export function neighbourKey(rows: readonly CapturedStream[], key: string | null, step: 1 | -1): string | null {
  if (rows.length === 0) return null;
  const index = key === null ? -1 : rows.findIndex((row) => row.key === key);
  if (index < 0) return (step === 1 ? rows[0] : rows[rows.length - 1])?.key ?? null;
  const next = Math.min(rows.length - 1, Math.max(0, index + step));
  return rows[next]?.key ?? null;
}
