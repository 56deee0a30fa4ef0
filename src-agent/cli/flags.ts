// Flag specifications: one object per flag drives parsing, the environment override, --help and the README.
// Modules keep references to their own specs and read values through them, so a value is always typed.

export const ENV_PREFIX = 'FLEETWATCH_';

export interface FlagSpec<T> {
  /** Long name without dashes: `gpu-usage-port`. */
  name: string;
  /** Section of --help and the README: `general` or a protocol id. */
  group: string;
  help: string;
  /** Shown in help: `<port>`, `<seconds>`; absent for switches. */
  valueName?: string;
  defaultValue: T;
  /** Shown instead of the default where the default is computed at run time. */
  defaultText?: string;
  /** Never echoed in logs or errors. */
  secret?: boolean;
  /** Parses a raw string from argv or the environment; throws an Error with a human message. */
  parse(raw: string): T;
  /** Switches take no value on the command line. */
  isSwitch: boolean;
}

export function envName(spec: { name: string }): string {
  return ENV_PREFIX + spec.name.toUpperCase().replace(/-/g, '_');
}

interface Common {
  name: string;
  group: string;
  help: string;
}

export function stringFlag(options: Common & { valueName?: string; defaultValue?: string; defaultText?: string; secret?: boolean }): FlagSpec<string | undefined> {
  return {
    ...options,
    valueName: options.valueName ?? '<text>',
    defaultValue: options.defaultValue,
    isSwitch: false,
    parse: (raw) => {
      if (raw === '') throw new Error('must not be empty');
      return raw;
    },
  };
}

export function numberFlag(options: Common & { valueName?: string; defaultValue: number; min: number; max: number; integer?: boolean }): FlagSpec<number> {
  return {
    ...options,
    valueName: options.valueName ?? '<number>',
    isSwitch: false,
    parse: (raw) => {
      const value = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(value)) throw new Error(`expects a number, got "${raw}"`);
      if (options.integer && !Number.isInteger(value)) throw new Error(`expects a whole number, got "${raw}"`);
      if (value < options.min || value > options.max) throw new Error(`must be between ${options.min} and ${options.max}, got ${value}`);
      return value;
    },
  };
}

/** A TCP or UDP port; 0 asks the OS for a free one (tests use this). */
export function portFlag(options: Common & { defaultValue: number }): FlagSpec<number> {
  return numberFlag({ ...options, valueName: '<port>', min: 0, max: 65535, integer: true });
}

export function portListFlag(options: Common & { defaultValue: number[] }): FlagSpec<number[]> {
  const one = portFlag({ ...options, defaultValue: 0 });
  return {
    ...options,
    valueName: '<port,port>',
    defaultText: options.defaultValue.join(','),
    isSwitch: false,
    parse: (raw) => {
      const ports = raw.split(',').map((part) => one.parse(part));
      if (new Set(ports).size !== ports.length) throw new Error(`lists a port twice: "${raw}"`);
      return ports;
    },
  };
}

export function switchFlag(options: Common): FlagSpec<boolean> {
  return {
    ...options,
    defaultValue: false,
    isSwitch: true,
    parse: (raw) => {
      const normalized = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(normalized)) return true;
      if (['0', 'false', 'no', 'off', ''].includes(normalized)) return false;
      throw new Error(`expects 1/0, true/false, yes/no or on/off, got "${raw}"`);
    },
  };
}

export function choiceFlag<const C extends readonly string[]>(options: Common & { choices: C; defaultValue: C[number] }): FlagSpec<C[number]> {
  return {
    ...options,
    valueName: `<${options.choices.join('|')}>`,
    isSwitch: false,
    parse: (raw) => {
      const found = options.choices.find((choice) => choice === raw);
      if (found === undefined) throw new Error(`expects one of ${options.choices.join(', ')}, got "${raw}"`);
      return found;
    },
  };
}

/** The flags every protocol server has: its port, a switch to turn it off, and its inbound frame limit. */
export function protocolFlags(options: { id: string; label: string; defaultPort: number; portHelp?: string; maxFrameBytes: number }) {
  const { id, label } = options;
  return {
    port: portFlag({ name: `${id}-port`, group: id, help: options.portHelp ?? `${label} WebSocket port`, defaultValue: options.defaultPort }),
    disabled: switchFlag({ name: `no-${id}`, group: id, help: `Do not serve the ${label} protocol` }),
    maxFrame: numberFlag({
      name: `${id}-max-frame-bytes`,
      group: id,
      help: `Largest message a ${label} client may send; a larger one closes it with 1009`,
      valueName: '<bytes>',
      defaultValue: options.maxFrameBytes,
      min: 64,
      max: 64 * 1024 * 1024,
      integer: true,
    }),
  };
}
