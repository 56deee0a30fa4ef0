// A stand-in Glances for client tests: a loopback HTTP server answering each path from a table that a test
// may change while it runs (fixtures recorded from the real server, or hostile answers), recording every path
// asked. A path the table lacks gets the real Glances 3.3's 404 page.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export interface StandInAnswer {
  status?: number;
  contentType?: string;
  body: string;
}

export interface GlancesStandIn {
  origin: string;
  /** Path (without query) → answer; changes take effect on the next request. */
  answers: Map<string, StandInAnswer>;
  /** Every path asked, in order. */
  requests: string[];
  close(): Promise<void>;
}

const NOT_FOUND_PAGE = fixture('glances-3.3.1.1-api-4-pluginslist-404.html');

/** Each plugin's answer from the fixtures named `<prefix><plugin>.json`, at `/api/<version>/<plugin>`. */
export function fixtureAnswers(version: 3 | 4, prefix: string, plugins: readonly string[]): Map<string, StandInAnswer> {
  return new Map(plugins.map((plugin) => [`/api/${version}/${plugin}`, { body: fixture(`${prefix}${plugin}.json`) }]));
}

export const RECORDED_V3_PLUGINS = ['pluginslist', 'system', 'quicklook', 'cpu', 'percpu', 'mem', 'memswap', 'load', 'fs', 'network', 'sensors', 'gpu', 'uptime', 'processlist'];
export const DOCUMENTED_V4_PLUGINS = ['pluginslist', 'system', 'quicklook', 'cpu', 'percpu', 'mem', 'memswap', 'load', 'fs', 'network', 'sensors', 'uptime', 'processlist'];

export async function startGlancesStandIn(answers: Map<string, StandInAnswer>): Promise<GlancesStandIn> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://stand-in.invalid').pathname;
    requests.push(pathname);
    const answer = answers.get(pathname) ?? { status: 404, contentType: 'text/html; charset=UTF-8', body: NOT_FOUND_PAGE };
    response.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/json; charset=utf-8' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    answers,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
