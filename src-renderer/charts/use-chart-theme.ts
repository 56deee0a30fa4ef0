// The chart colours of the current theme, read from the CSS variables so charts follow the light/dark
// switch and the OS preference without a reload.

import { useEffect, useState } from 'react';
import type { ChartTheme } from './chart-options';

function readTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string): string => style.getPropertyValue(name).trim();
  return {
    text: read('--text'),
    muted: read('--text-muted'),
    grid: read('--chart-grid'),
    surface: read('--surface-raised'),
    series: [1, 2, 3, 4, 5, 6, 7, 8].map((index) => read(`--series-${index}`)),
  };
}

export function useChartTheme(): ChartTheme {
  const [theme, setTheme] = useState(readTheme);
  useEffect(() => {
    const bump = (): void => setTheme(readTheme());
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', bump);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      media.removeEventListener('change', bump);
      observer.disconnect();
    };
  }, []);
  return theme;
}
