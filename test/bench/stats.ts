/** Order statistics the benchmarks print. */

/** The q-quantile of `values` (0 <= q <= 1), interpolated between neighbours; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return (sorted[low] as number) + ((sorted[Math.ceil(at)] as number) - (sorted[low] as number)) * (at - low);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);
