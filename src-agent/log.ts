// The agent's logger: one line per event on stderr, tagged with a protocol id or subsystem.
// Never pass a token or secret to it; callers log only whether one was given. Audit lines (who ran
// what) are written whatever the level: an operator quieting the log must not lose the record.

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  /** A security record (a remote command run or killed), written at every level as `audit`. */
  audit(message: string): void;
  /** A logger whose lines carry `[tag]`. */
  child(tag: string): Logger;
}

export type LogWrite = (line: string) => void;

export function createLogger(level: LogLevel, write: LogWrite = (line) => process.stderr.write(line + '\n'), tag?: string): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const emit = (at: LogLevel | 'audit', message: string): void => {
    if (at !== 'audit' && LOG_LEVELS.indexOf(at) > threshold) return;
    write(`${new Date().toISOString()} ${at.padEnd(5)} ${tag ? `[${tag}] ` : ''}${message}`);
  };
  return {
    error: (message) => emit('error', message),
    warn: (message) => emit('warn', message),
    info: (message) => emit('info', message),
    debug: (message) => emit('debug', message),
    audit: (message) => emit('audit', message),
    child: (childTag) => createLogger(level, write, tag ? `${tag}/${childTag}` : childTag),
  };
}
