// Detection of the polled HTTP sources on one port: one GET per fingerprint path (and of the path the user
// gave), all at once, each answer shown to the clients that asked for that path, the catalog's order
// deciding between two matches. Never throws; every request ends within the detection timeout.

import { isSuccess, type HttpAnswer, type HttpGet, type PollClient } from './http-source';
import { networkErrorWords } from './network-words';
import { PROTOCOLS, type ProtocolId } from './protocols';
import { pollUrl, type Target } from './target';

export interface HttpProbeResult {
  outcome: 'detected' | 'auth-required' | 'unreachable' | 'unrecognized';
  detail: string;
  protocol?: ProtocolId;
  /** The endpoint URL, credentials included, when detected. */
  url?: string;
}

export async function probeHttp(target: Target, port: number, secure: boolean, clients: readonly PollClient[], httpGet: HttpGet, timeoutMs: number, owned: boolean): Promise<HttpProbeResult> {
  const prefix = (target.path ?? '').replace(/\/$/, '');
  // Each GET's path, and for each client asking it the path as the client knows it (without the user's prefix).
  const asked = new Map<string, Map<PollClient, string>>();
  const ask = (path: string, client: PollClient, ownPath: string): void => {
    if (!asked.has(path)) asked.set(path, new Map());
    asked.get(path)!.set(client, ownPath);
  };
  for (const client of clients) {
    for (const path of client.fingerprintPaths) ask(`${prefix}${path}`, client, path);
    if (target.path) ask(target.path, client, target.path);
  }
  // As large as a poll takes: a node_exporter scrape is the largest answer a fingerprint reads.
  const maxBytes = Math.max(...clients.map((client) => client.maxBodyBytes));
  // The source's own parameters (a Prometheus job filter) are for its polls, not for these GETs.
  const bare: Target = { ...target };
  delete bare.params;
  const answers = await Promise.all(
    [...asked.keys()].map((path) =>
      httpGet(pollUrl({ ...bare, path }, port, { secure, defaultPath: path, owned }), { timeoutMs, maxBytes }).then(
        (answer) => ({ path, answer }),
        (error: Error) => ({ path, error: error.message }),
      ),
    ),
  );

  for (const client of clients) {
    for (const result of answers) {
      const ownPath = asked.get(result.path)?.get(client);
      if (!('answer' in result) || !isSuccess(result.answer) || ownPath === undefined) continue;
      const evidence = safeFingerprint(client, ownPath, result.answer);
      if (evidence === null) continue;
      // The path the user gave, or under the prefix they gave, where the source reads from (`/node/metrics`).
      const path = result.path === target.path ? target.path : `${prefix}${PROTOCOLS[client.id].defaultPath}`;
      return { outcome: 'detected', detail: evidence, protocol: client.id, url: pollUrl({ ...target, path }, port, { secure, defaultPath: path, owned }) };
    }
  }
  const refused = answers.find((result) => 'answer' in result && (result.answer.status === 401 || result.answer.status === 403));
  if (refused && 'answer' in refused) {
    const given = target.basicAuth || (target.token && !owned);
    return { outcome: 'auth-required', detail: `${given ? 'The credentials given were refused' : 'It needs credentials: http://user:password@host or ?token='} (HTTP ${refused.answer.status} at ${refused.path}).` };
  }
  const answered = answers.find((result) => 'answer' in result);
  if (answered && 'answer' in answered) {
    return { outcome: 'unrecognized', detail: `An HTTP server answered (HTTP ${answered.answer.status} at ${answered.path}), but not as ${clients.map((client) => PROTOCOLS[client.id].label).join(', ')} would.` };
  }
  const failure = answers.find((result) => 'error' in result);
  return { outcome: 'unreachable', detail: failure && 'error' in failure ? `Could not connect: ${networkErrorWords(failure.error)}.` : 'Could not connect.' };
}

function safeFingerprint(client: PollClient, path: string, answer: HttpAnswer): string | null {
  try {
    return client.fingerprint(path, answer);
  } catch {
    return null;
  }
}
