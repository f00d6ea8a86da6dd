import { headerMapOf } from '../model/headers';
import { isSameOrigin, originOf, parseUrl, resolveLocation } from '../model/origin';
import type { StreamRecord } from '../model/record';
import type { RuleContext } from '../rules/context';
import type { ServerPlan } from './plan';

/**
 * Where the redirects of the attempt that decides end: the last request's URL, or the target of
 * its Location when it is a hop itself.
 */
function chainEnd(record: StreamRecord, attempt: number): string {
  const last = record.exchanges.findLast((e) => e.attempt === attempt && e.kind !== 'preflight');
  if (!last) return record.url;
  const location = last.kind === 'redirect' ? headerMapOf(last.responseHeaders).get('location') : null;
  return (location === null ? null : resolveLocation(location, last.url)) ?? last.url;
}

/**
 * The URL the plan's endpoint serves the stream at. After a redirect from one foreign origin to
 * another the browser sends `Origin: null` (Fetch "HTTP-redirect fetch"), which no allowlist may
 * trust: every plan then serves the stream at the redirect's target and has the page open it
 * there directly, or its headers would block a stream that the server's `*` or `null` lets through.
 */
function planUrl(context: RuleContext): string {
  const { record, verdicts } = context;
  const tainted = record.pageOrigin !== 'null' && (verdicts.chromium.requestOrigin === 'null' || verdicts.firefox.requestOrigin === 'null');
  return tainted ? chainEnd(record, verdicts.chromium.attempt) : record.url;
}

/** The plan of a correct endpoint for what the record shows: its path, its page origin, its client. */
export function basePlan(context: RuleContext): ServerPlan {
  const { record, requirement } = context;
  const streamUrl = planUrl(context);
  const crossOrigin = streamUrl === record.url ? context.crossOrigin : !isSameOrigin(originOf(streamUrl), record.pageOrigin);
  // The URL is hostile input and may not parse: keep a default path then.
  const path = parseUrl(streamUrl)?.pathname || '/events';
  return {
    path,
    streamUrl,
    allowedOrigins: crossOrigin && record.pageOrigin !== 'null' ? [record.pageOrigin] : [],
    credentials: record.client.credentials === 'include',
    preflight: crossOrigin && requirement.needed
      ? { methods: ['GET', 'HEAD', 'POST'].includes(requirement.method) ? [] : [requirement.method], headers: [...requirement.headers] }
      : null,
    heartbeatSeconds: 15,
    retryMs: null,
  };
}

/**
 * What a fix's one line adds when its plan serves the stream at another URL than the page opens
 * (a redirect made the Origin `null`): without it, "Try this fix" would move the URL unexplained.
 * redirect-null-origin's own advice is exactly this, so it gets no second copy.
 */
export function movedStreamNote(plan: ServerPlan, record: StreamRecord, ruleId: string, summary: string): string {
  if (plan.streamUrl === record.url || ruleId === 'redirect-null-origin') return summary;
  return `${summary} A cross-origin redirect makes the browser send \`Origin: null\`, which the fix's allowlist does not trust: serve the stream at ${plan.streamUrl} and point the page there directly.`;
}
