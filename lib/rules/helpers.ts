import type { ChromiumCorsError } from '../cors/vocabulary';
import type { Exchange } from '../model/record';
import type { RuleContext } from './context';

/** Shared questions rules ask of a context. Pure functions of the context only. */

export interface Block {
  readonly index: number;
  readonly exchange: Exchange;
  readonly corsError: ChromiumCorsError;
  readonly failedParameter: string;
}

/** The exchange Chromium blocked on, when its CorsError is one of `codes`. */
export function chromiumBlock(context: RuleContext, codes: readonly ChromiumCorsError[]): Block | null {
  const verdict = context.verdicts.chromium;
  if (verdict.corsError === null || verdict.exchangeIndex === null || !codes.includes(verdict.corsError)) return null;
  const exchange = context.record.exchanges[verdict.exchangeIndex];
  if (!exchange) return null;
  return { index: verdict.exchangeIndex, exchange, corsError: verdict.corsError, failedParameter: verdict.failedParameter ?? '' };
}

export const isEventSource = (context: RuleContext) => context.record.client.kind === 'eventsource';
