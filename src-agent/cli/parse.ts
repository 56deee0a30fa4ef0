// Turns argv and the environment into typed flag values. Command line beats environment beats default.
// Every problem is collected and reported at once, naming the flag and its environment variable.

import { parseArgs } from './parse-args';
import { envName, type FlagSpec } from './flags';

export class UsageError extends Error {}

export class FlagValues {
  constructor(private readonly values: ReadonlyMap<FlagSpec<unknown>, unknown>) {}

  get<T>(spec: FlagSpec<T>): T {
    if (!this.values.has(spec as FlagSpec<unknown>)) throw new Error(`flag --${spec.name} was not registered with the parser`);
    return this.values.get(spec as FlagSpec<unknown>) as T;
  }

  /** Was the flag given on the command line or in the environment (rather than defaulted)? */
  wasSet(spec: FlagSpec<unknown>): boolean {
    return this.explicit.has(spec);
  }

  readonly explicit = new Set<FlagSpec<unknown>>();
}

export interface Parsed {
  flags: FlagValues;
  positionals: string[];
  help: boolean;
}

export function parseFlags(specs: readonly FlagSpec<unknown>[], argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Parsed {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const spec of specs) options[spec.name] = { type: spec.isSwitch ? 'boolean' : 'string' };

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}. Run with --help to list every flag.`);
  }

  const values = new Map<FlagSpec<unknown>, unknown>();
  const result = new FlagValues(values);
  const problems: string[] = [];
  for (const spec of specs) {
    const fromArgv = parsed.values[spec.name];
    const fromEnv = env[envName(spec)];
    try {
      if (fromArgv !== undefined) {
        values.set(spec, typeof fromArgv === 'boolean' ? fromArgv : spec.parse(String(fromArgv)));
        result.explicit.add(spec);
      } else if (fromEnv !== undefined) {
        values.set(spec, spec.parse(fromEnv));
        result.explicit.add(spec);
      } else {
        values.set(spec, spec.defaultValue);
      }
    } catch (error) {
      const source = fromArgv !== undefined ? `--${spec.name}` : envName(spec);
      problems.push(`${source} ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return { flags: result, positionals: parsed.positionals, help: parsed.values.help === true };
}
