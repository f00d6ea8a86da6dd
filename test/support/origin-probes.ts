import type { OriginProbe, OriginProbeKind } from '@/lib/model/record';

/** One probe answer: `probe('arbitrary', 'https://evil.example', { acao: 'https://evil.example', acac: 'true' })`. */
export function probe(
  kind: OriginProbeKind,
  origin: string,
  answer: { acao?: string | null; acac?: string | null; status?: number | null } = {},
): OriginProbe {
  return { kind, origin, status: answer.status === undefined ? 200 : answer.status, allowOrigin: answer.acao ?? null, allowCredentials: answer.acac ?? null };
}

/** A probe whose Origin the server echoed back. */
export const reflected = (kind: OriginProbeKind, origin: string, acac?: string): OriginProbe => probe(kind, origin, { acao: origin, acac });
