// Glances client: recognizes its REST API by the plugin list (v4's, then v3's) and opens a polling session.

import type { PollClient } from '../http-source';
import { MIB } from '../units';
import { decodePluginsList, GLANCES_VERSIONS, pluginsListPath } from './api';
import { isHtml } from './answer';
import { glancesProtocol } from './descriptor';
import { parseGlancesJson } from './python-json';
import { openGlancesSession } from './session';

export const glancesClient: PollClient = {
  transport: 'http',
  id: 'glances',
  capabilities: glancesProtocol.capabilities,
  // Glances refreshes its figures at most once a second and its UI every two.
  pollIntervalMs: 2000,
  // The process list of a busy machine runs to a few MB.
  maxBodyBytes: 8 * MIB,
  // `/api/3/status` answers an empty 200 and v4's only a version: the plugin list is what only Glances answers.
  fingerprintPaths: GLANCES_VERSIONS.map(pluginsListPath),

  fingerprint(path, answer) {
    const version = GLANCES_VERSIONS.find((candidate) => pluginsListPath(candidate) === path);
    if (version === undefined || isHtml(answer)) return null;
    const plugins = decodePluginsList(parseGlancesJson(answer.body));
    return plugins ? `Glances API v${version} answered ${path} with its plugin list (${plugins.length} plugins)` : null;
  },

  open: openGlancesSession,
};
