import { signal, type Signal } from '@preact/signals';
import type { CapturedStream } from '../capture/captured';
import type { StreamRecord } from '../model/record';
import { whatIfFrom, whatIfReducer, type WhatIfAction, type WhatIfState } from '../whatif/state';

/**
 * The what-if editor's concern of the panel store: one draft per stream the user edited, so edits
 * survive switching tabs and streams. A stream nobody edited has no draft: its editor shows the
 * capture as it stands and follows it live; the first edit freezes the capture it started from,
 * and Reset drops the draft, back to following the capture.
 */
export interface WhatIfStore {
  readonly drafts: Signal<ReadonlyMap<string, WhatIfState>>;
  /** The stream's what-if: its draft, or its capture as it stands. Reading it subscribes to drafts. */
  stateFor(stream: CapturedStream): WhatIfState;
  dispatch(stream: CapturedStream, action: WhatIfAction): void;
  /** Forgets drafts of streams that are gone (cleared, navigated away, merged into another). */
  retain(keys: ReadonlySet<string> | ReadonlyMap<string, unknown>): void;
}

export function createWhatIfStore(): WhatIfStore {
  const drafts = signal<ReadonlyMap<string, WhatIfState>>(new Map());
  // An unedited stream's starting state, once per captured record (records are immutable).
  const fresh = new WeakMap<StreamRecord, WhatIfState>();
  const initial = (record: StreamRecord): WhatIfState => {
    let state = fresh.get(record);
    if (!state) {
      state = whatIfFrom(record);
      fresh.set(record, state);
    }
    return state;
  };
  return {
    drafts,
    stateFor(stream) {
      return drafts.value.get(stream.key) ?? initial(stream.record);
    },
    dispatch(stream, action) {
      const current = drafts.peek();
      if (action.type === 'reset') {
        if (!current.has(stream.key)) return;
        const next = new Map(current);
        next.delete(stream.key);
        drafts.value = next;
        return;
      }
      const state = current.get(stream.key) ?? initial(stream.record);
      const edited = whatIfReducer(state, action);
      if (edited === state) return;
      drafts.value = new Map(current).set(stream.key, edited);
    },
    retain(keys) {
      const current = drafts.peek();
      if ([...current.keys()].every((key) => keys.has(key))) return;
      drafts.value = new Map([...current].filter(([key]) => keys.has(key)));
    },
  };
}
