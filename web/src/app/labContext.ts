// The lab's shared objects (socket, event store, language) handed to every view through React context.
import { createContext, useContext, useSyncExternalStore } from 'react';
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

/** The UI text function for the current language: t('send') → "Send" or "发送". */
export function useText(): (key: UiKey) => string {
  const { language } = useLab();
  return (key) => UI[key][language];
}
