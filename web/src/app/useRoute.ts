// The current lesson, kept in the URL hash (#/01-echo-server) so links and the back button work.
import { useEffect, useState } from 'react';

function slugFromHash(): string | null {
  const m = /^#\/([0-9]{2}-[a-z0-9-]+)/.exec(location.hash);
  return m ? m[1]! : null;
}

export function useRoute(): [string | null, (slug: string) => void] {
  const [slug, setSlug] = useState(slugFromHash);
  useEffect(() => {
    const onHash = () => setSlug(slugFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return [slug, (next) => (location.hash = `#/${next}`)];
}
