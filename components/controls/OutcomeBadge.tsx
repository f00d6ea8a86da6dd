import type { ObservedOutcome } from '@/lib/capture/captured';

const LABELS: Readonly<Record<ObservedOutcome, string>> = {
  connecting: 'connecting',
  open: 'open',
  reconnecting: 'reconnecting',
  blocked: 'blocked',
  failed: 'failed',
  closed: 'closed',
};

/** A coloured outcome word; the colour repeats the word, it never replaces it. */
export function OutcomeBadge({ outcome }: { readonly outcome: ObservedOutcome }) {
  return <span class={`badge outcome-${outcome}`}>{LABELS[outcome]}</span>;
}
