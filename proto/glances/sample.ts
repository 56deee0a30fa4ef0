// One poll's plugin answers into a Sample and the host's static facts. Pure. An answer that is JSON but not
// the shape its plugin has throws an Error naming the path and what it should have been.

import type { HostInfo, Sample } from '../model';
import type { GlancesPlugin } from './api';
import { decodeCpuTemperature, decodeGpus, decodeNetwork } from './decode-devices';
import { decodeSystem, decodeQuicklook } from './decode-host';
import { decodeProcesses } from './decode-processes';
import { decodeCpu, decodeFilesystems, decodeLoad, decodeMemory, decodePerCpu, decodeSwap, decodeUptime } from './decode-readings';

export type PluginAnswers = Partial<Record<GlancesPlugin, unknown>>;

const EXPECTED: Record<GlancesPlugin, string> = {
  cpu: 'an object with the CPU total',
  percpu: 'a list of cores',
  mem: 'an object with memory figures',
  memswap: 'an object with swap figures',
  load: 'an object with load averages',
  fs: 'a list of filesystems',
  network: 'a list of interfaces',
  sensors: 'a list of sensors',
  gpu: 'a list of GPUs',
  uptime: 'the uptime as text',
  system: 'an object naming the host and its OS',
  quicklook: 'an object with the CPU model',
  processlist: 'a list of processes',
};

export interface DecodeContext {
  timeMs: number;
  /** Cores counted by an earlier poll, for a poll whose answers do not count them. */
  knownCores?: number;
  pathOf(plugin: GlancesPlugin): string;
}

/** What Glances says about the host itself; fields it did not answer are absent. */
export interface HostFacts extends Partial<Pick<HostInfo, 'hostname' | 'os' | 'memoryTotalBytes'>> {
  cpuModel?: string;
  cores?: number;
}

export interface DecodedPoll {
  sample: Sample;
  facts: HostFacts;
}

export function decodePoll(answers: PluginAnswers, context: DecodeContext): DecodedPoll {
  const read = <T>(plugin: GlancesPlugin, decode: (json: unknown) => T | undefined): T | undefined => {
    if (!(plugin in answers)) return undefined;
    const value = decode(answers[plugin]);
    if (value === undefined) throw new Error(`${context.pathOf(plugin)} answered JSON that is not Glances' ${plugin} plugin (expected ${EXPECTED[plugin]}).`);
    return value;
  };
  const cpu = read('cpu', decodeCpu);
  const perCore = read('percpu', decodePerCpu);
  const load = read('load', decodeLoad);
  const temperature = read('sensors', decodeCpuTemperature);
  const memory = read('mem', decodeMemory);
  const swap = read('memswap', decodeSwap);
  const system = read('system', decodeSystem);
  const quicklook = read('quicklook', decodeQuicklook);
  const cores = cpu?.cores ?? load?.cores ?? quicklook?.cores ?? (perCore?.length || undefined) ?? context.knownCores;

  const sample: Sample = { timeMs: context.timeMs };
  const totalPercent = cpu?.totalPercent ?? (perCore?.length ? perCore.reduce((sum, value) => sum + value, 0) / perCore.length : undefined);
  if (totalPercent !== undefined) {
    sample.cpu = { totalPercent };
    if (perCore?.length) sample.cpu.perCorePercent = perCore;
    if (temperature?.tempC !== undefined) sample.cpu.tempC = temperature.tempC;
    if (load?.load) sample.cpu.load = load.load;
  }
  if (memory?.usedPercent !== undefined) sample.memory = { ...memory, usedPercent: memory.usedPercent, ...swap };
  const disks = read('fs', decodeFilesystems);
  if (disks) sample.disks = disks;
  const network = read('network', decodeNetwork);
  if (network) sample.network = network;
  const gpus = read('gpu', decodeGpus);
  if (gpus?.length) sample.gpus = gpus;
  const uptime = read('uptime', decodeUptime);
  if (uptime?.uptimeSec !== undefined) sample.uptimeSec = uptime.uptimeSec;
  // With no core count anywhere, a process's figure stays per core, capped at the whole machine.
  const processes = read('processlist', (json) => decodeProcesses(json, cores ?? 1));
  if (processes) {
    sample.processes = processes.processes;
    sample.processCount = processes.processCount;
  }

  const facts: HostFacts = { ...system };
  if (quicklook?.cpuModel) facts.cpuModel = quicklook.cpuModel;
  if (cores !== undefined) facts.cores = cores;
  if (memory?.totalBytes !== undefined) facts.memoryTotalBytes = memory.totalBytes;
  return { sample, facts };
}
