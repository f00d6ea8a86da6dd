import type { ComponentChildren } from 'preact';

export interface TabSpec<T extends string> {
  readonly id: T;
  readonly label: string;
  /** Shown after the label, e.g. a finding count. */
  readonly count?: number;
}

interface Props<T extends string> {
  readonly label: string;
  readonly tabs: readonly TabSpec<T>[];
  readonly selected: T;
  onSelect(id: T): void;
  readonly children: ComponentChildren;
}

/** WAI-ARIA tabs: arrow keys, Home and End move between tabs; only the selected tab is in the tab order. */
export function Tabs<T extends string>({ label, tabs, selected, onSelect, children }: Props<T>) {
  const move = (event: KeyboardEvent) => {
    const index = tabs.findIndex((tab) => tab.id === selected);
    const target =
      event.key === 'ArrowRight' ? (index + 1) % tabs.length
      : event.key === 'ArrowLeft' ? (index - 1 + tabs.length) % tabs.length
      : event.key === 'Home' ? 0
      : event.key === 'End' ? tabs.length - 1
      : -1;
    const next = tabs[target];
    if (!next) return;
    event.preventDefault();
    onSelect(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  return (
    <div class="tabs">
      <div role="tablist" aria-label={label} class="tab-strip" onKeyDown={move}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={tab.id === selected}
            aria-controls={`tabpanel-${tab.id}`}
            tabIndex={tab.id === selected ? 0 : -1}
            class="tab"
            onClick={() => onSelect(tab.id)}
          >
            {tab.label}
            {tab.count !== undefined && tab.count > 0 ? <span class="tab-count"> {tab.count}</span> : null}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tabpanel-${selected}`} aria-labelledby={`tab-${selected}`} class="tab-panel" tabIndex={0}>
        {children}
      </div>
    </div>
  );
}
