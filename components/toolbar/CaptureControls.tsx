import { usePanel } from '../app/store-context';

/** Record/pause, clear and preserve log: commands to the host, whose answer updates the state. */
export function CaptureControls() {
  const { store, host } = usePanel();
  const { recording, preserveLog } = store.capture.value;
  return (
    <>
      {/* A toggle named by its visible word; aria-pressed says whether capture is on. */}
      <button
        type="button"
        class={`tool-button record ${recording ? 'recording' : ''}`}
        aria-pressed={recording}
        title={recording ? 'Recording: press to pause capture' : 'Paused: press to record'}
        data-testid="record-button"
        onClick={() => host.send({ type: 'set-recording', recording: !recording })}
      >
        <span aria-hidden="true">{recording ? '●' : '○'}</span> Record
      </button>
      <button type="button" class="tool-button" data-testid="clear-button" title="Clear streams" onClick={() => host.send({ type: 'clear' })}>
        <span aria-hidden="true">⊘</span> Clear
      </button>
      <label class="inline-field">
        <input
          type="checkbox"
          checked={preserveLog}
          data-testid="preserve-log"
          onChange={(event) => host.send({ type: 'set-preserve-log', preserve: event.currentTarget.checked })}
        />
        Preserve log
      </label>
    </>
  );
}
