// Lets plain Node (with tsx) load `import text from './file?raw'`, as Vite and Vitest do, so benchmark
// scripts can import the same modules the build bundles. Registered with `node --import`.

import { register } from 'node:module';

register('./raw-imports-hooks.mjs', import.meta.url);
