import { parseUrl } from '../model/origin';
import type { RuleContext } from '../rules/context';
import type { ServerPlan } from './plan';

/** The plan of a correct endpoint for what the record shows: its path, its page origin, its client. */
export function basePlan(context: RuleContext): ServerPlan {
  const { record, requirement } = context;
  // The URL is hostile input and may not parse: keep a default path then.
  const path = parseUrl(record.url)?.pathname || '/events';
  return {
    path,
    streamUrl: record.url,
    allowedOrigins: context.crossOrigin && record.pageOrigin !== 'null' ? [record.pageOrigin] : [],
    credentials: record.client.credentials === 'include',
    preflight: context.crossOrigin && requirement.needed
      ? { methods: ['GET', 'HEAD', 'POST'].includes(requirement.method) ? [] : [requirement.method], headers: [...requirement.headers] }
      : null,
    heartbeatSeconds: 15,
    retryMs: null,
  };
}
