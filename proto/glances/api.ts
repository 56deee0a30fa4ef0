// Glances' REST API: its two versions (v3 in Debian 12, v4 upstream), the plugins this client reads, where they
// answer, and how to tell a Glances plugin list from anything else. Pure.

export type GlancesVersion = 3 | 4;

/** Newest first: a session asks for v4's plugin list before v3's. */
export const GLANCES_VERSIONS: readonly GlancesVersion[] = [4, 3];

/** The plugins read on every poll, where the server has them. */
export const POLLED_PLUGINS = ['cpu', 'percpu', 'mem', 'memswap', 'load', 'fs', 'network', 'sensors', 'gpu', 'uptime'] as const;
/** Read until they answer once: the host's name, OS and CPU model do not change while it runs. */
export const HOST_PLUGINS = ['system', 'quicklook'] as const;
/** Read only while someone looks at processes: the list is the biggest answer Glances gives. */
export const PROCESS_PLUGIN = 'processlist';

export type GlancesPlugin = (typeof POLLED_PLUGINS)[number] | (typeof HOST_PLUGINS)[number] | typeof PROCESS_PLUGIN;

export function pluginsListPath(version: GlancesVersion): string {
  return `/api/${version}/pluginslist`;
}

export function pluginPath(prefix: string, version: GlancesVersion, plugin: GlancesPlugin): string {
  return `${prefix}/api/${version}/${plugin}`;
}

/** Plugins every Glances since 2.x lists; a list of names with three of them is Glances' own. */
const TELLTALE_PLUGINS = ['cpu', 'mem', 'memswap', 'load', 'fs', 'network', 'percpu', 'processlist', 'quicklook', 'system', 'uptime', 'sensors'];
const MAX_PLUGINS = 500;

/** The plugin names of a `pluginslist` answer; undefined for anything that is not Glances' list. */
export function decodePluginsList(json: unknown): string[] | undefined {
  if (!Array.isArray(json) || json.length > MAX_PLUGINS) return undefined;
  if (!json.every((name): name is string => typeof name === 'string' && name.length <= 64)) return undefined;
  const telltales = TELLTALE_PLUGINS.filter((name) => json.includes(name));
  return telltales.length >= 3 ? json : undefined;
}

/**
 * Where the API hangs: '' at the root, or the prefix a user's URL gave (Glances' `url_prefix`, a reverse
 * proxy). A URL pasted from the browser's address bar may name an API path itself; everything from `/api/` on goes.
 */
export function apiPrefix(path: string): string {
  const apiAt = path.indexOf('/api/');
  return (apiAt >= 0 ? path.slice(0, apiAt) : path).replace(/\/+$/, '');
}
