// Node's parseArgs, taken from its CommonJS registry: an ESM import of node:util builds the module's
// namespace, which reads every lazy export (util.diff, the worker_threads machinery, terminal colours)
// and loads modules the agent never uses, about 1 MB of RSS (bench: idle).

export const { parseArgs } = process.getBuiltinModule('node:util');
