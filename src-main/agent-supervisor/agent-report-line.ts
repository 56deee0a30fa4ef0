// Reads the agent's `--json` line. The agent is ours, but its stdout is still a process boundary: a line
// that is not a well-formed report (a stray console.log, a truncated write) is rejected, never trusted.

import { z } from 'zod';
import type { AgentReport } from '../../proto/agent-report';
import { PROTOCOL_IDS } from '../../proto/protocols';
import { parseJson } from '../../proto/units';

const port = z.number().int().min(0).max(65535);

const reportSchema = z.object({
  event: z.literal('listening'),
  pid: z.number().int().positive(),
  endpoints: z.array(
    z.object({
      owner: z.string().max(64),
      kind: z.enum(['ws', 'wss', 'http', 'udp']),
      role: z.string().max(200),
      host: z.string().max(300),
      port,
      url: z.string().max(2048).optional(),
      fingerprint256: z.string().max(200).optional(),
      open: z.boolean(),
      reachableAt: z.array(z.string().max(2048)).max(64).optional(),
    }),
  ),
  connect: z.array(z.object({ protocol: z.enum(PROTOCOL_IDS), url: z.string().min(1).max(4096) })),
  failures: z.array(z.string().max(2000)),
  openInBrowser: z.string().max(4096).optional(),
});

/** The report, or null when the line is anything else. */
export function parseAgentReport(line: string): AgentReport | null {
  const parsed = reportSchema.safeParse(parseJson(line.trim()));
  return parsed.success ? parsed.data : null;
}
