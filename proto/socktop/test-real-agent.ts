// A stand-in for the real socktop agent, for client and detection tests. Frames are shaped as the real
// agent's serde types serialize them (not recorded): JSON over 768 bytes gzip-compressed into a binary frame,
// GPUs under `utilization_gpu_pct`/`mem_used_bytes`/`mem_total_bytes`, a bad token upgraded then closed.

import { gzipSync } from 'node:zlib';
import type { WebSocket } from 'ws';

export const REAL_METRICS = {
  sampled_at_ms: 1_795_321_507_123,
  cpu_total: 7.5,
  cpu_per_core: Array.from({ length: 32 }, (_, core) => (core % 4) * 2.5),
  mem_total: 67_108_864_000,
  mem_used: 12_884_901_888,
  swap_total: 8_589_934_592,
  swap_used: 1_048_576,
  hostname: 'render-07',
  cpu_temp_c: 48.25,
  disks: [],
  networks: [
    { name: 'lo', received: 9_000_000, transmitted: 9_000_000 },
    { name: 'enp5s0', received: 123_456_789, transmitted: 98_765_432 },
    { name: 'docker0', received: 1_000, transmitted: 2_000 },
    { name: 'veth3f2a1b7', received: 0, transmitted: 0 },
    { name: 'wlp4s0', received: 5_555_555, transmitted: 4_444_444 },
  ],
  top_processes: [],
  gpus: [{ name: 'NVIDIA GeForce RTX 5080', vendor: 'NVIDIA', utilization_gpu_pct: 37, mem_used_bytes: 2_147_483_648, mem_total_bytes: 17_179_869_184 }],
  process_count: 412,
};

export const REAL_DISKS = [
  { name: 'nvme0n1p2', total: 1_000_204_886_016, available: 400_000_000_000, temperature: 41.5, is_partition: true },
  { name: 'sda', total: 4_000_787_030_016, available: 3_000_000_000_000, temperature: null, is_partition: false },
];

/** A `Processes` message encoded by hand from the schema (not by our codec): count 2, rows init and sshd. */
export const REAL_PROCESSES_PROTOBUF = Buffer.from(
  [
    '0802',
    '1210', '0801', '1204' + Buffer.from('init').toString('hex'), '1d0000003f', '208020',
    '1213', '08f403', '1204' + Buffer.from('sshd').toString('hex'), '1d0000c03f', '208080c001',
  ].join(''),
  'hex',
);

/** What older real agents answered to `get_processes`. */
export const REAL_PROCESSES_JSON = { process_count: 2, top_processes: [{ pid: 1, name: 'init', cpu_usage: 0.5, mem_bytes: 4096 }, { pid: 500, name: 'sshd', cpu_usage: 1.5, mem_bytes: 3_145_728 }] };

/** The real agent's framing: text JSON up to 768 bytes, gzip in a binary frame above. */
export function realJsonFrame(value: unknown): string | Buffer {
  const json = JSON.stringify(value);
  return json.length <= 768 ? json : gzipSync(json);
}

/** Each reading one second after the previous one, as a real agent polled every second gives them. */
function freshReading(requestNumber: number): unknown {
  return { ...REAL_METRICS, sampled_at_ms: REAL_METRICS.sampled_at_ms + requestNumber * 1000 };
}

export interface RealAgentOptions {
  token?: string;
  /** The metrics reply to the n-th `get_metrics` (from 0). */
  metrics?: (requestNumber: number) => unknown;
  /** Older agents answer processes with JSON. */
  processesAsJson?: boolean;
  replyDelayMs?: number;
}

/** Tracks how many requests were ever waiting for a reply at once. */
export interface RealAgentStats {
  maxInFlight: number;
  requests: { text: string; atMs: number }[];
}

export function realAgent(options: RealAgentOptions = {}, stats: RealAgentStats = { maxInFlight: 0, requests: [] }) {
  return (socket: WebSocket, url: URL): void => {
    if (options.token !== undefined && url.searchParams.get('token') !== options.token) {
      socket.close();
      return;
    }
    const openedAt = Date.now();
    let inFlight = 0;
    let metricsCount = 0;
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      let reply: string | Buffer | undefined;
      if (text === 'get_metrics') reply = realJsonFrame((options.metrics ?? freshReading)(metricsCount++));
      else if (text === 'get_disks') reply = realJsonFrame(REAL_DISKS);
      else if (text === 'get_processes') reply = options.processesAsJson ? realJsonFrame(REAL_PROCESSES_JSON) : REAL_PROCESSES_PROTOBUF;
      if (reply === undefined) return;
      stats.requests.push({ text, atMs: Date.now() - openedAt });
      inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      const frame = reply;
      setTimeout(() => {
        inFlight -= 1;
        if (socket.readyState === socket.OPEN) socket.send(frame);
      }, options.replyDelayMs ?? 0);
    });
  };
}
