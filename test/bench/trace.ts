import type { Browser } from 'puppeteer-core';

/**
 * Task lengths from a browser-wide Chromium trace, for the panel benches: each thread's tasks
 * ('toplevel' RunTask events) with their wall time and their own CPU time. On a busy machine a
 * thread waits for a core in the middle of a task, so wall time says what the user waits and CPU
 * time what the code costs. A thread is found by a performance.mark() it made.
 */
export interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
}

/** A browser-wide trace of every thread's tasks ('toplevel') and of performance.mark() calls; `details` adds what runs inside tasks (timeline, V8). */
export async function startTrace(browser: Browser, details = false): Promise<() => Promise<TraceEvent[]>> {
  const session = await browser.target().createCDPSession();
  const events: TraceEvent[] = [];
  session.on('Tracing.dataCollected', (data: { value: TraceEvent[] }) => events.push(...data.value));
  await session.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', 'blink.user_timing', ...(details ? ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8'] : [])], recordMode: 'recordContinuously' }, transferMode: 'ReportEvents' });
  return async () => {
    const complete = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
    await session.send('Tracing.end');
    await complete;
    await session.detach();
    return events;
  };
}

export interface TaskFigures {
  /** The longest task, wall clock (what a user waits). */
  readonly longestMs: number;
  /** The longest task's own CPU time: without the time the thread waited for a core. */
  readonly longestCpuMs: number;
  /** Tasks of 50 ms or more, wall clock. */
  readonly over50: number;
  /** CPU time of all its tasks together. */
  readonly totalCpuMs: number;
}

/** The tasks of the thread that made the `mark`, started from `from` (µs, trace clock) until `to`. */
export function tasksOf(events: readonly TraceEvent[], mark: string, from = -Infinity, to = Infinity): TaskFigures {
  const marked = events.find((e) => e.name === mark);
  if (!marked) throw new Error(`no ${mark} in the trace`);
  let longestMs = 0;
  let longestCpuMs = 0;
  let over50 = 0;
  let totalCpuMs = 0;
  for (const e of events) {
    if (e.pid !== marked.pid || e.tid !== marked.tid || e.ph !== 'X' || !/RunTask$/.test(e.name) || e.ts < from || e.ts >= to) continue;
    const ms = (e.dur ?? 0) / 1000;
    longestMs = Math.max(longestMs, ms);
    longestCpuMs = Math.max(longestCpuMs, (e.tdur ?? 0) / 1000);
    if (ms >= 50) over50++;
    totalCpuMs += (e.tdur ?? 0) / 1000;
  }
  return { longestMs, longestCpuMs, over50, totalCpuMs };
}

