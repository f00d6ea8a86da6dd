import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { PanelHost } from '@/lib/panel/host';
import type { PanelStore } from '@/lib/panel/store';
import type { PanelView } from '@/lib/panel/view';

export interface PanelContext {
  readonly store: PanelStore;
  readonly host: PanelHost;
  /** Live capture or an imported file; absent where the panel cannot import (a bare <App>). */
  readonly view?: PanelView;
}

export const PanelContextValue = createContext<PanelContext | null>(null);

export function usePanel(): PanelContext {
  const context = useContext(PanelContextValue);
  if (!context) throw new Error('panel components render inside <App>');
  return context;
}
