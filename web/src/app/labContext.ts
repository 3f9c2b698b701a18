// The lab's shared objects (socket, event store, language) handed to every view through React context.
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { LocalizedText } from '@core/protocol/errors';
import type { Language } from '../i18n/language';
import { UI, type UiKey } from '../i18n/uiText';
import type { LabSocket, LabSocketSnapshot } from '../net/labSocket';
import type { EventStore } from '../store/eventStore';

export interface LabContextValue {
  socket: LabSocket;
  store: EventStore;
  language: Language;
}

export const LabContext = createContext<LabContextValue | null>(null);

export function useLab(): LabContextValue {
  const value = useContext(LabContext);
  if (!value) throw new Error('useLab() outside <LabContext.Provider>');
  return value;
}

export function useLabConnection(): LabSocketSnapshot {
  const { socket } = useLab();
  return useSyncExternalStore(socket.subscribeState, socket.getSnapshot);
}

/**
 * The text function for the current language, over the lab's own interface text (t('send') → "Send" or "发送") or
 * over a view's table (`useText(FRAMING_UI)`). The one text hook of the app.
 */
export function useText(): (key: UiKey) => string;
export function useText<K extends string>(table: Readonly<Record<K, LocalizedText>>): (key: K) => string;
export function useText(table: Readonly<Record<string, LocalizedText>> = UI): (key: string) => string {
  const { language } = useLab();
  // Stable while the language stays: memoised views that take `t` are not re-rendered for a new function.
  return useCallback((key: string) => table[key]![language], [table, language]);
}
