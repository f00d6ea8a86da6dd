import type { ObservedOutcome } from '@/lib/capture/captured';
import { outcomeCounts } from '@/lib/panel/selectors';
import type { StreamSort } from '@/lib/panel/settings';
import type { OutcomeFilter } from '@/lib/panel/state';
import { usePanel } from '../app/store-context';

const OUTCOMES: readonly ObservedOutcome[] = ['blocked', 'failed', 'reconnecting', 'connecting', 'open', 'closed'];
const SORTS: readonly { id: StreamSort; label: string }[] = [
  { id: 'started', label: 'First seen' },
  { id: 'activity', label: 'Last activity' },
  { id: 'severity', label: 'Severity' },
  { id: 'url', label: 'URL' },
];

export function StreamFilters() {
  const { store } = usePanel();
  const filters = store.filters.state.value;
  const counts = outcomeCounts(store.streams.value.byKey);
  const chooseOutcome = (value: string) => {
    const outcome: OutcomeFilter = OUTCOMES.find((o) => o === value) ?? 'all';
    store.filters.set({ outcome });
  };
  const chooseSort = (value: string) => {
    const sort = SORTS.find((s) => s.id === value);
    if (sort) store.settings.set({ sort: sort.id });
  };
  return (
    <>
      <input
        type="search"
        class="filter-text"
        placeholder="Filter URL"
        aria-label="Filter streams by URL"
        value={filters.text}
        data-testid="url-filter"
        onInput={(event) => store.filters.set({ text: event.currentTarget.value })}
      />
      <select aria-label="Filter by outcome" value={filters.outcome} data-testid="outcome-filter" onChange={(event) => chooseOutcome(event.currentTarget.value)}>
        <option value="all">All outcomes</option>
        {OUTCOMES.map((outcome) => (
          <option key={outcome} value={outcome}>
            {outcome} ({counts[outcome]})
          </option>
        ))}
      </select>
      <label class="inline-field">
        <input type="checkbox" checked={filters.onlyProblems} data-testid="only-problems" onChange={(event) => store.filters.set({ onlyProblems: event.currentTarget.checked })} />
        Only problems
      </label>
      <select aria-label="Sort streams" value={store.settings.state.value.sort} data-testid="sort" onChange={(event) => chooseSort(event.currentTarget.value)}>
        {SORTS.map((sort) => (
          <option key={sort.id} value={sort.id}>
            Sort: {sort.label}
          </option>
        ))}
      </select>
    </>
  );
}
