import type { CapturedStream } from '@/lib/capture/captured';

/** Says when the diagnosis rests on an incomplete capture, and how to get a complete one. */
export function CaptureNotice({ stream }: { readonly stream: CapturedStream }) {
  const { chromium } = stream.analysis.verdicts;
  const notes: string[] = [];
  if (stream.beforeDevtools) {
    notes.push('This stream started before DevTools was open, so its start (preflight, first response) may be missing. Reload the page to capture it from the start.');
  }
  if (chromium.cause === 'not-captured') notes.push('The response that decides this stream was not captured; the verdict is incomplete.');
  if (chromium.preflightAssumed) notes.push('A preflight was required but not captured (cached, or sent before capture began): it is assumed to have passed.');
  if (stream.record.droppedEvents > 0) notes.push(`${stream.record.droppedEvents} events were not kept (capture limit per stream).`);
  if (notes.length === 0) return null;
  return (
    <div class="notice" role="note" data-testid="capture-notice">
      {notes.map((note) => (
        <p key={note}>{note}</p>
      ))}
    </div>
  );
}
