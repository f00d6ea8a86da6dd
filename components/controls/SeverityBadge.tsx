import type { Severity } from '@/lib/rules/define';

export function SeverityBadge({ severity }: { readonly severity: Severity }) {
  return <span class={`badge severity-${severity}`}>{severity}</span>;
}
