import type { ChromiumVerdict, FirefoxVerdict } from '@/lib/cors/verdict';
import type { BrowserObservation } from './drivers';

/**
 * Where a prediction and a real browser part ways. Outcome and the browser's own error name must
 * match exactly; the predicted console line must be among the lines the browser printed for the
 * case, and a browser that printed a CORS line must have been predicted to.
 */
export interface Disagreement {
  readonly field: string;
  readonly predicted: unknown;
  readonly observed: unknown;
}

function consoleDisagreements(predicted: string | null, observed: BrowserObservation, isPrimary: (line: string) => boolean): Disagreement[] {
  const primary = observed.console.filter(isPrimary);
  if (predicted !== null && !observed.console.includes(predicted)) {
    // A window that ended with the stream still connecting may end before the browser spoke.
    if (observed.console.length > 0 || !observed.page.timedOut) return [{ field: 'message', predicted, observed: observed.console }];
  }
  if (predicted === null && primary.length > 0) return [{ field: 'message', predicted, observed: primary }];
  return [];
}

const CHROMIUM_PRIMARY = (line: string) => line.includes('has been blocked by CORS policy') || line.startsWith("EventSource's response");
const FIREFOX_PRIMARY = (line: string) => line.startsWith('Cross-Origin Request Blocked');

export function compareChromium(predicted: ChromiumVerdict, observed: BrowserObservation): Disagreement[] {
  const out: Disagreement[] = [];
  if (predicted.outcome !== observed.outcome) out.push({ field: 'outcome', predicted: predicted.outcome, observed: observed.outcome });
  if (predicted.corsError !== observed.corsError) out.push({ field: 'corsError', predicted: predicted.corsError, observed: observed.corsError });
  else if (observed.corsError !== null && predicted.failedParameter !== observed.failedParameter) {
    out.push({ field: 'failedParameter', predicted: predicted.failedParameter, observed: observed.failedParameter });
  }
  out.push(...consoleDisagreements(predicted.message, observed, CHROMIUM_PRIMARY));
  return out;
}

export function compareFirefox(predicted: FirefoxVerdict, observed: BrowserObservation): Disagreement[] {
  const out: Disagreement[] = [];
  if (predicted.outcome !== observed.outcome) out.push({ field: 'outcome', predicted: predicted.outcome, observed: observed.outcome });
  if (predicted.reason !== observed.reason) out.push({ field: 'reason', predicted: predicted.reason, observed: observed.reason });
  out.push(...consoleDisagreements(predicted.message, observed, FIREFOX_PRIMARY));
  return out;
}
