import { isProblem } from '@/lib/panel/selectors';
import { usePanel } from './store-context';

/** Counts at the bottom, like DevTools' Network summary: shown, total, problems, dropped. */
export function StatusBar() {
  const { store, view } = usePanel();
  const { byKey, droppedStreams } = store.streams.value;
  const shown = store.visible.value.length;
  let problems = 0;
  for (const stream of byKey.values()) if (isProblem(stream)) problems++;
  return (
    <footer class="status-bar" data-testid="status-bar">
      <span>
        {shown === byKey.size ? `${byKey.size} streams` : `${shown} of ${byKey.size} streams`}
      </span>
      <span>{problems} with problems</span>
      {droppedStreams > 0 ? <span>{droppedStreams} not kept (capture limit per tab)</span> : null}
      {view?.imported ? (
        <span class="status-paused">read-only: imported file</span>
      ) : store.capture.value.recording ? null : (
        <span class="status-paused">capture paused</span>
      )}
    </footer>
  );
}
