import type { RuleContext } from './context';

/**
 * Coarse facts of a record that decide, before any rule runs, that a rule cannot apply: a rule
 * about origin probes on a stream nobody probed, a preflight rule on an EventSource. Rules declare
 * them in `requires`; the engine skips a rule whose preconditions the record lacks and lists it as
 * not applicable, exactly as its own appliesTo would (the rule tester checks that they agree).
 */
export type Precondition = 'cross-origin' | 'fetch' | 'eventsource' | 'preflight' | 'redirect' | 'origin-probes' | 'peers' | 'retry';

const BIT: Readonly<Record<Precondition, number>> = {
  'cross-origin': 1,
  fetch: 2,
  eventsource: 4,
  preflight: 8,
  redirect: 16,
  'origin-probes': 32,
  peers: 64,
  retry: 128,
};

export function preconditionMask(requires: readonly Precondition[] | undefined): number {
  let mask = 0;
  for (const precondition of requires ?? []) mask |= BIT[precondition];
  return mask;
}

/** The preconditions a record meets, as a bit mask. */
export function preconditionsOf(context: RuleContext): number {
  const { record } = context;
  let mask = 0;
  if (context.crossOrigin) mask |= BIT['cross-origin'];
  mask |= record.client.kind === 'fetch' ? BIT.fetch : BIT.eventsource;
  if (context.indexesOf('preflight').length > 0) mask |= BIT.preflight;
  if (context.indexesOf('redirect').length > 0) mask |= BIT.redirect;
  if (record.originProbes.length > 0) mask |= BIT['origin-probes'];
  if (context.peers.length > 0) mask |= BIT.peers;
  if (record.retryValues.length > 0) mask |= BIT.retry;
  return mask;
}
