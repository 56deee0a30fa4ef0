// One Glances session: finds the API version once (v4's plugin list, else v3's), then on every poll reads the
// plugins it maps that the server has, in parallel. A plugin the server refuses (400 for one it lacks or has
// disabled, 404 where it cannot read one) is not asked again; the process list is read only while wanted.

import type { SessionInterest } from '../client';
import { HttpStatusError, type HttpAnswer, type PollContext, type PollSession } from '../http-source';
import type { HostInfo } from '../model';
import { apiPrefix, decodePluginsList, GLANCES_VERSIONS, HOST_PLUGINS, pluginPath, pluginsListPath, POLLED_PLUGINS, PROCESS_PLUGIN, type GlancesPlugin, type GlancesVersion } from './api';
import { jsonOf } from './answer';
import { decodePoll, type HostFacts, type PluginAnswers } from './sample';

interface Api {
  version: GlancesVersion;
  plugins: ReadonlySet<string>;
}

function isAbsent(error: unknown): boolean {
  return error instanceof HttpStatusError && (error.status === 400 || error.status === 404);
}

export function openGlancesSession(context: PollContext): PollSession {
  const prefix = apiPrefix(context.path);
  const refused = new Set<GlancesPlugin>();
  let api: Api | undefined;
  let hostFacts: HostFacts | undefined;
  let announced = '';
  let wantProcesses = false;

  const get = async (path: string): Promise<HttpAnswer | undefined> => {
    try {
      return await context.get(path);
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  };

  const findApi = async (): Promise<Api> => {
    for (const version of GLANCES_VERSIONS) {
      const path = `${prefix}${pluginsListPath(version)}`;
      const answer = await get(path);
      if (!answer) continue;
      const plugins = decodePluginsList(jsonOf(path, answer));
      if (!plugins) throw new Error(`${path} answered JSON that is not Glances' plugin list: is this Glances' port?`);
      return { version, plugins: new Set(plugins) };
    }
    const tried = GLANCES_VERSIONS.map((version) => `${prefix}${pluginsListPath(version)}`);
    throw new Error(`Neither ${tried.join(' nor ')} answered: is this Glances' web server (glances -w)?`);
  };

  const readPlugins = async ({ version, plugins }: Api, wanted: readonly GlancesPlugin[]): Promise<PluginAnswers> => {
    const asked = wanted.filter((plugin) => plugins.has(plugin) && !refused.has(plugin));
    const answers = await Promise.all(
      asked.map(async (plugin) => {
        const path = pluginPath(prefix, version, plugin);
        const answer = await get(path);
        if (!answer) refused.add(plugin);
        return answer ? ([plugin, jsonOf(path, answer, plugin === 'uptime')] as const) : undefined;
      }),
    );
    return Object.fromEntries(answers.filter((entry) => entry !== undefined));
  };

  const announce = (facts: HostFacts): void => {
    const info: HostInfo = { id: context.hostLabel, hostname: facts.hostname ?? context.hostLabel };
    if (facts.os) info.os = facts.os;
    if (facts.cpuModel && facts.cores) info.cpu = { model: facts.cpuModel, cores: facts.cores };
    if (facts.memoryTotalBytes) info.memoryTotalBytes = facts.memoryTotalBytes;
    const key = JSON.stringify(info);
    if (key === announced) return;
    announced = key;
    context.sink.host(info);
  };

  return {
    async poll() {
      api ??= await findApi();
      const wanted: GlancesPlugin[] = [...POLLED_PLUGINS];
      if (!hostFacts) wanted.push(...HOST_PLUGINS);
      if (wantProcesses) wanted.push(PROCESS_PLUGIN);
      const { version } = api;
      const answers = await readPlugins(api, wanted);
      const { sample, facts } = decodePoll(answers, {
        timeMs: context.now(),
        knownCores: hostFacts?.cores,
        pathOf: (plugin) => pluginPath(prefix, version, plugin),
      });
      hostFacts = { ...hostFacts, ...facts };
      announce(hostFacts);
      context.sink.sample(context.hostLabel, sample);
    },
    setInterest(interest: SessionInterest) {
      wantProcesses = interest.processes === true;
    },
    // Nothing to stop: the connection owns the timer and every request.
    dispose() {},
  };
}
