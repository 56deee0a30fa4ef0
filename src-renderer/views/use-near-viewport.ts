// Whether an element is on screen or close to it: a card far down a fleet of a thousand skips the work of
// its sparklines (and the history it would fetch) until it is scrolled near.

import { useEffect, useRef, useState, type RefObject } from 'react';

const MARGIN = '400px';

export function useNearViewport<T extends Element>(): [RefObject<T | null>, boolean] {
  const ref = useRef<T>(null);
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === 'undefined') {
      setNear(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => setNear(entries.some((entry) => entry.isIntersecting)), { rootMargin: MARGIN });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, near];
}
