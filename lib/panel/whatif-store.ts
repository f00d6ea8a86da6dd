import { signal, type Signal } from '@preact/signals';
import type { CapturedStream } from '../capture/captured';
import type { StreamRecord } from '../model/record';
import type { WhatIfAction, WhatIfState } from '../whatif/state';

/** The part of lib/whatif the drafts need: the capture as a state, and the reducer. */
export interface WhatIfEditor {
  whatIfFrom(record: StreamRecord): WhatIfState;
  whatIfReducer(state: WhatIfState, action: WhatIfAction): WhatIfState;
}

let editor: WhatIfEditor | null = null;
let editorLoading: Promise<WhatIfEditor> | null = null;

/**
 * Loads the editor's code once. The panel opens without lib/whatif (it is not needed until the
 * What if tab or "Try this fix" is used), which keeps the panel's initial JS small.
 */
export function loadWhatIfEditor(): Promise<WhatIfEditor> {
  editorLoading ??= import('../whatif/state').then((module) => (editor = module));
  return editorLoading;
}

/**
 * The what-if editor's concern of the panel store: one draft per stream the user edited, so edits
 * survive switching tabs and streams. A stream nobody edited has no draft: its editor shows the
 * capture as it stands and follows it live; the first edit freezes the capture it started from,
 * and Reset drops the draft, back to following the capture.
 */
export interface WhatIfStore {
  readonly drafts: Signal<ReadonlyMap<string, WhatIfState>>;
  /**
   * The stream's what-if: its draft, or its capture as it stands. Reading it subscribes to drafts.
   * Needs the editor's code: call it once `loadWhatIfEditor()` has resolved (the What if tab does).
   */
  stateFor(stream: CapturedStream): WhatIfState;
  /** Applies the action now, or, before the editor's code has arrived, once it has (in order). */
  dispatch(stream: CapturedStream, action: WhatIfAction): void;
  /** Forgets drafts of streams that are gone (cleared, navigated away, merged into another). */
  retain(keys: ReadonlySet<string> | ReadonlyMap<string, unknown>): void;
}

export function createWhatIfStore(): WhatIfStore {
  const drafts = signal<ReadonlyMap<string, WhatIfState>>(new Map());
  // An unedited stream's starting state, once per captured record (records are immutable).
  const fresh = new WeakMap<StreamRecord, WhatIfState>();
  const initial = (loaded: WhatIfEditor, record: StreamRecord): WhatIfState => {
    let state = fresh.get(record);
    if (!state) {
      state = loaded.whatIfFrom(record);
      fresh.set(record, state);
    }
    return state;
  };
  const apply = (loaded: WhatIfEditor, stream: CapturedStream, action: WhatIfAction) => {
    const current = drafts.peek();
    if (action.type === 'reset') {
      if (!current.has(stream.key)) return;
      const next = new Map(current);
      next.delete(stream.key);
      drafts.value = next;
      return;
    }
    const state = current.get(stream.key) ?? initial(loaded, stream.record);
    const edited = loaded.whatIfReducer(state, action);
    if (edited === state) return;
    drafts.value = new Map(current).set(stream.key, edited);
  };
  return {
    drafts,
    stateFor(stream) {
      const draft = drafts.value.get(stream.key);
      if (draft) return draft;
      if (!editor) throw new Error('the what-if editor is not loaded yet: await loadWhatIfEditor() first');
      return initial(editor, stream.record);
    },
    dispatch(stream, action) {
      if (editor) apply(editor, stream, action);
      // Callbacks on one promise run in the order they were added, so queued actions keep theirs.
      else void loadWhatIfEditor().then((loaded) => apply(loaded, stream, action));
    },
    retain(keys) {
      const current = drafts.peek();
      if ([...current.keys()].every((key) => keys.has(key))) return;
      drafts.value = new Map([...current].filter(([key]) => keys.has(key)));
    },
  };
}
