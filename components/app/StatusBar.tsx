import { isProblem } from '@/lib/panel/selectors';
import { usePanel } from './store-context';

/** Counts at the bottom, like DevTools' Network summary: shown, total, problems, dropped. */
export function StatusBar() {
  const { store, view } = usePanel();
  const { byKey, droppedStreams } = store.streams.value;
  const shown = store.visible.value.length;
  const capture = store.capture.value;
  let problems = 0;
  for (const stream of byKey.values()) if (isProblem(stream)) problems++;
  return (
    <footer class="status-bar" data-testid="status-bar">
      <span>
        {shown === byKey.size ? `${byKey.size} streams` : `${shown} of ${byKey.size} streams`}
      </span>
      <span>{problems} with problems</span>
      {droppedStreams > 0 ? <span>{droppedStreams} not kept (capture limit per tab)</span> : null}
      {capture.droppedObservations > 0 ? <span data-testid="dropped-observations">{capture.droppedObservations} capture records dropped (tab log full)</span> : null}
      {capture.unpersisted > 0 ? <span>{capture.unpersisted} kept in memory only (session storage full)</span> : null}
      {view?.imported ? (
        <span class="status-paused">read-only: imported file</span>
      ) : capture.recording ? null : (
        <span class="status-paused">capture paused</span>
      )}
    </footer>
  );
}
