// React binding for folds: re-renders at most once per frame (or at maxHz) with the fold's state caught up.
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef } from 'react';
import { useLab } from '../app/labContext';
import { FoldCursor, type Fold } from './eventFold';

/**
 * Folds the store's events into view state. `fold` must be stable (define it at module level or memoise it);
 * `maxHz` caps how often the view re-renders while events stream in.
 */
export function useEventFold<S>(fold: Fold<S>, maxHz = 60): S {
  const { store } = useLab();
  const cursor = useMemo(() => new FoldCursor(fold, store), [fold, store]);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  // What the last committed render showed: a render React throws away may have stepped the fold further.
  const shown = useRef(-1);

  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const minGap = 1000 / maxHz;
    const update = () => {
      timer = null;
      last = performance.now();
      cursor.catchUp();
      if (cursor.applied !== shown.current) rerender();
    };
    const onChange = () => {
      if (timer) return;
      const wait = minGap - (performance.now() - last);
      if (wait <= 0) update();
      else timer = setTimeout(update, wait);
    };
    onChange();
    const unsubscribe = store.subscribe(onChange);
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [cursor, store, maxHz]);

  cursor.catchUp();
  const applied = cursor.applied;
  useLayoutEffect(() => {
    shown.current = applied;
  });
  return cursor.state;
}
