// Preloaded into a spawned agent (`--import`): appends each npm package the process loads, once, to the
// file MODULE_LOG names, so a test can see what an agent pays for and when.
import { appendFileSync } from 'node:fs';
import { isBuiltin, registerHooks } from 'node:module';

const log = process.env.MODULE_LOG;
const seen = new Set();
registerHooks({
  resolve(specifier, context, next) {
    // Throws for a package that is not installed (ws tries its optional bufferutil): nothing is loaded then.
    const resolved = next(specifier, context);
    // Packages only: not a relative chunk, a file: URL or a builtin.
    const name = specifier.includes(':') || isBuiltin(specifier) ? undefined : /^(@[^/]+\/)?[^./@][^/]*/.exec(specifier)?.[0];
    if (log && name && !seen.has(name)) {
      seen.add(name);
      appendFileSync(log, `${name}\n`);
    }
    return resolved;
  },
});
