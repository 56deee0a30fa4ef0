import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test-support/cleanups';
import { pollSource } from '../../test-support/poll-harness';
import { startGlances } from '../../test-support/real-servers/glances';
import { glancesClient } from './client';
import { MAX_PROCESSES } from './decode-processes';

const cleanups = cleanupAfterEach();

function memTotalBytes(): number {
  const kib = /^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
  return Number(kib) * 1024;
}

function processesInProc(): number {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).length;
}

describe('glances client against the real Glances (Debian 12, 3.3.1.1)', () => {
  it('reads its real figures, and its processes only once asked', { timeout: 60_000 }, async () => {
    const server = await startGlances();
    cleanups.push(() => server.stop());
    const { sink, connection, states, stop } = pollSource(glancesClient, `${server.origin}/`, { pollIntervalMs: 1000 });
    cleanups.push(stop);
    await sink.until(() => sink.samples.length >= 2, 20_000, 'two samples');

    const hostLabel = `127.0.0.1:${server.port}`;
    const host = sink.hosts.get(hostLabel);
    expect(host?.hostname).toBe(os.hostname());
    expect(host?.cpu?.cores).toBe(os.cpus().length);
    expect(host?.os?.kernel).toBe(os.release());

    const { sample } = sink.samples.at(-1)!;
    expect(sample.cpu?.totalPercent).toBeGreaterThanOrEqual(0);
    expect(sample.cpu?.totalPercent).toBeLessThanOrEqual(100);
    expect(sample.cpu?.perCorePercent).toHaveLength(os.cpus().length);
    expect(sample.cpu?.load).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
    expect(Math.abs(sample.cpu!.load![0] - os.loadavg()[0]!)).toBeLessThan(5);
    expect(Math.abs(sample.memory!.totalBytes! - memTotalBytes()) / memTotalBytes()).toBeLessThan(0.01);
    expect(sample.memory?.usedBytes).toBeGreaterThan(0);
    expect(sample.disks?.map((disk) => disk.mountPoint)).toContain('/');
    expect(sample.disks?.find((disk) => disk.mountPoint === '/')?.totalBytes).toBeGreaterThan(0);
    expect(sample.network?.interfaces?.map((entry) => entry.name)).not.toContain('lo');
    expect(Math.abs(sample.uptimeSec! - os.uptime())).toBeLessThan(120);
    expect(JSON.stringify(sample)).not.toMatch(/null|NaN|Infinity/);
    expect(sink.samples.every(({ sample: earlier }) => earlier.processes === undefined)).toBe(true);

    connection.setInterest({ processes: true });
    await sink.until(() => sink.samples.some(({ sample: later }) => later.processes !== undefined), 10_000, 'a sample with processes');
    const withProcesses = sink.samples.find(({ sample: later }) => later.processes)!.sample;
    const processes = withProcesses.processes!;
    expect(processes.length).toBe(Math.min(MAX_PROCESSES, withProcesses.processCount!));
    expect(Math.abs(withProcesses.processCount! - processesInProc()) / processesInProc()).toBeLessThan(0.2);
    expect(new Set(processes.map((process) => process.pid)).size).toBe(processes.length);
    expect(processes.every((process) => process.cpuPercent >= 0 && process.cpuPercent <= 100 && process.memoryBytes >= 0 && process.name !== '')).toBe(true);
    expect(processes.reduce((sum, process) => sum + process.cpuPercent, 0)).toBeLessThanOrEqual(105);
    expect(states.map((state) => state.status)).not.toContain('reconnecting');
  });
});
