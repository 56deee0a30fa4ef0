// LAN discovery as a running service: a scan at start, one every interval, and one on demand (coalesced
// with a scan already under way). Hosts not seen for a few intervals are dropped. Used by the Electron
// main process and by the agent's web dashboard API.

import type { DiscoveredHost, DiscoveryState } from '../../proto/discovery';
import { scanLan, type ScanOptions } from './scanner';

export interface DiscoveryServiceOptions {
  /** Evaluated at every scan, so interface changes are picked up. */
  targets: () => readonly string[];
  intervalMs?: number;
  /** Hosts silent for this long are dropped. */
  forgetAfterMs?: number;
  scan?: (options: ScanOptions) => Promise<DiscoveredHost[]>;
  ports?: readonly number[];
  rounds?: number;
  roundMs?: number;
  now?: () => number;
}

export class DiscoveryService {
  private readonly hosts = new Map<string, DiscoveredHost>();
  private readonly listeners = new Set<(state: DiscoveryState) => void>();
  private running: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastScanAtMs: number | undefined;
  private error: string | undefined;
  private readonly now: () => number;

  constructor(private readonly options: DiscoveryServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    void this.scanNow();
    this.timer = setInterval(() => void this.scanNow(), this.options.intervalMs ?? 60_000);
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  get state(): DiscoveryState {
    return {
      scanning: this.running !== undefined,
      hosts: [...this.hosts.values()].sort((a, b) => a.hostname.localeCompare(b.hostname)),
      ...(this.lastScanAtMs !== undefined ? { lastScanAtMs: this.lastScanAtMs } : {}),
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }

  subscribe(listener: (state: DiscoveryState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the scan (this one, or the one already running) has finished. */
  scanNow(): Promise<void> {
    this.running ??= this.runScan().finally(() => {
      this.running = undefined;
      this.publish();
    });
    this.publish();
    return this.running;
  }

  private async runScan(): Promise<void> {
    const scan = this.options.scan ?? scanLan;
    try {
      await scan({
        targets: this.options.targets(),
        ports: this.options.ports,
        rounds: this.options.rounds,
        roundMs: this.options.roundMs,
        now: this.now,
        onHost: (host) => {
          this.hosts.set(host.address, host);
          this.publish();
        },
      });
      this.error = undefined;
    } catch (error) {
      this.error = `Discovery scan failed: ${(error as Error).message}`;
    }
    this.lastScanAtMs = this.now();
    const forgetBefore = this.now() - (this.options.forgetAfterMs ?? 3 * (this.options.intervalMs ?? 60_000));
    for (const [address, host] of this.hosts) if (host.lastSeenMs < forgetBefore) this.hosts.delete(address);
  }

  private publish(): void {
    const state = this.state;
    for (const listener of this.listeners) listener(state);
  }
}
