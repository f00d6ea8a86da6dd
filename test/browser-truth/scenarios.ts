import type { HeaderList } from '@/lib/model/headers';
import type { ClientKind } from '@/lib/model/record';
import type { Scenario } from './observe';

/** What each scenario's page code does, as the CLI's client options. Mirrors observeInPage. */
export function clientOf(scenario: Scenario): { client: ClientKind; credentials: boolean; headers: HeaderList } {
  const credentials = scenario.endsWith('-credentials');
  if (scenario.startsWith('eventsource')) return { client: 'eventsource', credentials, headers: [] };
  const headers: [string, string][] = [];
  if (scenario.startsWith('fetch-header')) headers.push(['X-API-Key', 'demo']);
  if (scenario === 'fetch-authorization') headers.push(['Authorization', 'Bearer demo']);
  return { client: 'fetch', credentials, headers };
}
