// ServerControl's `POST /exec` body: the one HTTP body a client sends, read with its schema.

import { z } from 'zod';
import { parseJson } from '../units';

/** Longest command `/exec` accepts. */
export const MAX_COMMAND_LENGTH = 16 * 1024;

// The real server reads `cmd`; `command` is accepted too because task_start and /tasks name it that way.
const execRequestSchema = z.union([
  z.object({ cmd: z.string() }).transform((body) => body.cmd),
  z.object({ command: z.string() }).transform((body) => body.command),
]);

/** Reads a `POST /exec` body: the command, or why it is not one. */
export function decodeExecRequest(body: string): { command: string } | { error: string } {
  const parsed = parseJson(body);
  if (parsed === undefined) return { error: 'The body must be JSON: {"cmd":"..."}' };
  const result = execRequestSchema.safeParse(parsed);
  if (!result.success) return { error: 'The body needs a string "cmd" (or "command")' };
  const command = result.data;
  if (command.trim() === '') return { error: 'The command is empty' };
  if (command.length > MAX_COMMAND_LENGTH) return { error: `The command is longer than ${MAX_COMMAND_LENGTH} characters` };
  if (command.includes('\0')) return { error: 'The command contains a NUL character' };
  return { command };
}
