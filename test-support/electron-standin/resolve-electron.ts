// Module resolution hook: `electron` resolves to the stand-in, everything else as usual.

import type { ResolveHook } from 'node:module';

const STAND_IN = new URL('./index.ts', import.meta.url).href;

export const resolve: ResolveHook = (specifier, context, nextResolve) => (specifier === 'electron' ? { url: STAND_IN, shortCircuit: true } : nextResolve(specifier, context));
