// The width of an element, kept current as it resizes (canvas views draw to it).
import { useEffect, useRef, useState, type RefObject } from 'react';

export function useElementWidth<E extends HTMLElement = HTMLDivElement>(
  minWidth: number,
  initial: number,
): [RefObject<E | null>, number] {
  const ref = useRef<E>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(minWidth, el.clientWidth)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [minWidth]);
  return [ref, width];
}
