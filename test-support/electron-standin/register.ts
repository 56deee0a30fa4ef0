// `node --import ./test-support/electron-standin/register.ts out/main/index.js` boots the built main
// process on the stand-in.

import { register } from 'node:module';

register('./resolve-electron.ts', import.meta.url);
