// useEventFold for folds whose state carries a version, made safe against renders React discards: the cursor may
// catch up during a render that never commits, and then no later change would re-render. This re-renders whenever
// the committed version is behind the state's (checked per store change and a few times a second).
import { useEffect, useReducer, useRef } from 'react';
import { useLab } from '../../app/labContext';
import type { Fold } from '../../store/eventFold';
import { useEventFold } from '../../store/useEventFold';

export function useVersionedFold<S extends { version: number }>(fold: Fold<S>, maxHz: number): S {
  const { store } = useLab();
  const state = useEventFold(fold, maxHz);
  const rendered = state.version;
  const committed = useRef(-1);
  const [, force] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    committed.current = rendered;
  });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const check = () => {
      timer = null;
      if (state.version !== committed.current) force();
    };
    const soon = () => {
      if (timer === null) timer = setTimeout(check, 1000 / maxHz);
    };
    const unsubscribe = store.subscribe(soon);
    const interval = setInterval(check, 250);
    return () => {
      unsubscribe();
      clearInterval(interval);
      if (timer !== null) clearTimeout(timer);
    };
  }, [state, store, maxHz]);
  return state;
}
