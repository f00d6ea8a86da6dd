import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type DetailTab = 'diagnosis' | 'headers' | 'timeline' | 'messages' | 'validate' | 'whatif';

/** Lets a component inside a tab bring another tab forward ("Try this fix" opens What if). */
export const ShowDetailTab = createContext<((tab: DetailTab) => void) | null>(null);

export function useShowDetailTab(): (tab: DetailTab) => void {
  return useContext(ShowDetailTab) ?? (() => undefined);
}
