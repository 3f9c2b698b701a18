// The current lesson and step, kept in the URL hash (#/01-echo-server/3) so links and the back button work.
import { useCallback, useEffect, useState } from 'react';
import { currentSlug } from '../lessons/renamedLessons';

export interface Route {
  slug: string;
  /** The step, counted from 1 as the page shows it; null when the link names none (the first step). */
  step: number | null;
}

/** Reads `#/NN-slug` or `#/NN-slug/step`; a renamed lesson's old slug means its new one. Pure. */
export function parseRoute(hash: string): Route | null {
  const m = /^#\/([0-9]{2}-[a-z0-9-]+)(?:\/([0-9]{1,3}))?\/?$/.exec(hash);
  if (!m) return null;
  const step = m[2] === undefined ? null : Number(m[2]);
  return { slug: currentSlug(m[1]!), step: step !== null && step >= 1 ? step : null };
}

export function routeHash(slug: string, step?: number | null): string {
  return step ? `#/${slug}/${step}` : `#/${slug}`;
}

function readRoute(): Route | null {
  const route = parseRoute(location.hash);
  // An old link to a renamed lesson: show the address the lesson has now.
  if (route && routeHash(route.slug, route.step) !== location.hash)
    history.replaceState(null, '', routeHash(route.slug, route.step));
  return route;
}

/** The route, following the hash; `go` opens a lesson (at its first step) or a step of it. */
export function useRoute(): [Route | null, (slug: string, step?: number | null) => void] {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const onHash = () => setRoute(readRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = useCallback((slug: string, step?: number | null) => {
    location.hash = routeHash(slug, step);
  }, []);
  return [route, go];
}
