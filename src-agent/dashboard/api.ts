// The dashboard's LAN discovery API (the hub's; hub-api.ts holds the rest): its state, a scan on demand,
// and a Server-Sent Events stream of its state. Periodic scans run only while some page listens to the
// stream, so an idle hub never broadcasts.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DiscoveryService } from '../discovery/service';
import { SECURITY_HEADERS } from './static-files';
import { writeJson as writeJsonReply } from '../net/write-json';

export interface ApiOptions {
  discovery: DiscoveryService;
  /** More concurrent event streams than this are refused with 503. */
  maxStreams?: number;
  heartbeatMs?: number;
}

export interface DashboardApi {
  handle(request: IncomingMessage, response: ServerResponse, pathname: string): void;
  close(): void;
}

export function createDashboardApi(options: ApiOptions): DashboardApi {
  const streams = new Set<ServerResponse>();
  const maxStreams = options.maxStreams ?? 16;

  const openStream = (request: IncomingMessage, response: ServerResponse): void => {
    if (streams.size >= maxStreams) return writeJson(response, 503, { error: `At most ${maxStreams} dashboard pages can follow discovery at once.` });
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    const send = (state: unknown): void => void response.write(`data: ${JSON.stringify(state)}\n\n`);
    send(options.discovery.state);
    const unsubscribe = options.discovery.subscribe(send);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    streams.add(response);
    if (streams.size === 1) options.discovery.start();
    const end = (): void => {
      if (!streams.delete(response)) return;
      clearInterval(heartbeat);
      unsubscribe();
      if (streams.size === 0) options.discovery.stop();
    };
    request.on('close', end);
    response.on('close', end);
  };

  const routes: Record<string, Partial<Record<string, (request: IncomingMessage, response: ServerResponse) => void>>> = {
    '/api/discovery': {
      GET: (_request, response) => writeJson(response, 200, options.discovery.state),
    },
    '/api/discovery/scan': {
      POST: (request, response) => {
        request.resume();
        void options.discovery.scanNow();
        writeJson(response, 202, options.discovery.state);
      },
    },
    '/api/discovery/events': { GET: openStream },
  };

  return {
    handle(request, response, pathname) {
      const route = routes[pathname];
      if (!route) return writeJson(response, 404, { error: `No API at ${pathname}` });
      const handler = route[request.method ?? 'GET'];
      if (!handler) {
        response.setHeader('Allow', Object.keys(route).join(', '));
        return writeJson(response, 405, { error: `${pathname} accepts ${Object.keys(route).join(', ')}` });
      }
      handler(request, response);
    },
    close() {
      for (const response of streams) response.destroy();
      streams.clear();
      options.discovery.stop();
    },
  };
}

export function writeJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  writeJsonReply(response, status, body, { ...SECURITY_HEADERS, ...headers });
}
