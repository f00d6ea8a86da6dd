import { RULES } from '@/lib/rules';

/** Shown until the capture pipeline and real panel land: says honestly what exists today. */
export function PlaceholderPanel() {
  return (
    <main data-testid="placeholder-panel" style={{ font: '12px system-ui, sans-serif', padding: '8px' }}>
      <h1 style={{ fontSize: '14px' }}>SSE Inspector</h1>
      <p>
        Stream capture is not built yet. The engine behind this panel knows {RULES.length} rules; use it
        today from the repository with <code>npm run cli -- check &lt;stream URL&gt; --origin &lt;page origin&gt;</code>.
      </p>
    </main>
  );
}
