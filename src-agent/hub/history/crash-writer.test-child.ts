// Run by history-store.test.ts as a child it kills with SIGKILL: records one sample per 10 ms of the
// clock it is given and flushes every 20 samples, printing each flushed sample count until killed.

import { HistoryStore } from './history-store';

const [file, startArg] = process.argv.slice(2);
let nowMs = Number(startArg);
const store = new HistoryStore({ file: file!, now: () => nowMs });
let count = 0;
setInterval(() => {
  for (let i = 0; i < 20; i += 1) {
    store.record('host-a', nowMs, { cpu: count % 100, mem: 50 });
    count += 1;
    nowMs += 1000;
  }
  store.flush();
  process.stdout.write(`${count}\n`);
}, 5);
