// The hub's JSON API behind the front door (token always): the fleet as a Server-Sent Events stream (a
// snapshot, then deltas), windows of stored history, and the two things a page asks of connections
// (retry a refused one, stream processes for the host on screen). Query strings are validated; a bad
// one gets 400 with what was expected.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { writeJson } from '../dashboard/api';
import { SECURITY_HEADERS } from '../dashboard/static-files';
import { TargetError } from '../../proto/target';
import { ruleSetSchema } from '../../fleet/alerts/rules';
import { MAX_SERVERS, serverEntrySchema } from '../../fleet/server-entry';
import { tagsSchema } from '../../fleet/tags';
import { readBody, RequestError } from '../net/read-body';
import type { HistoryStore } from './history/history-store';
import type { HubEngine } from './hub-engine';
import type { ServerBook } from './server-book';

export const HISTORY_MAX_POINTS = 5000;
const MAX_STREAMS = 16;

const historyQuery = z.object({
  host: z.string().min(1).max(300),
  from: z.coerce.number().int().nonnegative(),
  to: z.coerce.number().int().positive(),
  points: z.coerce.number().int().min(1).max(HISTORY_MAX_POINTS).default(600),
  columns: z
    .string()
    .max(4000)
    .transform((text) => text.split(',').filter(Boolean))
    .optional(),
});

const sourceQuery = z.object({ source: z.string().max(300).optional() });
const idQuery = z.object({ id: z.string().min(1).max(64) });
const endpointsSchema = serverEntrySchema.shape.endpoints;
const newServerBody = z.object({ input: z.string().trim().min(1).max(2048), name: z.string().max(200).optional(), tags: tagsSchema.optional(), endpoints: endpointsSchema });
const changeBody = z.object({ input: z.string().trim().min(1).max(2048).optional(), name: z.string().max(200).optional(), tags: tagsSchema.optional(), endpoints: endpointsSchema.optional() });
const importBody = z.object({ servers: z.array(serverEntrySchema).max(MAX_SERVERS) });
const ackBody = z.object({ id: z.string().min(1).max(400).optional() });
const detectBody = z.object({ input: z.string().max(2048), secret: z.string().min(1).max(1024).optional(), token: z.string().min(1).max(1024).optional() });
/** Room for an import of every server a list may hold. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HubApi {
  handle(request: IncomingMessage, response: ServerResponse, url: URL): boolean;
  close(): void;
}

export interface HubApiOptions {
  engine: HubEngine;
  store: HistoryStore;
  book: ServerBook;
  heartbeatMs?: number;
}

export function createHubApi({ engine, store, book, heartbeatMs = 15_000 }: HubApiOptions): HubApi {
  const streams = new Set<ServerResponse>();

  const stream = (request: IncomingMessage, response: ServerResponse): void => {
    if (streams.size >= MAX_STREAMS) return writeJson(response, 503, { error: `At most ${MAX_STREAMS} pages can follow this hub at once.` });
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    const unsubscribe = engine.subscribe((message) => void response.write(`data: ${JSON.stringify(message)}\n\n`));
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), heartbeatMs);
    streams.add(response);
    const end = (): void => {
      if (!streams.delete(response)) return;
      clearInterval(heartbeat);
      unsubscribe();
    };
    request.on('close', end);
    response.on('close', end);
  };

  /**
   * A JSON request: the body validated, the work done, pages told of a change to the server list (unless
   * it only asks something); errors answered with their status and words.
   */
  const json =
    <T extends z.ZodType>(schema: T | undefined, apply: (body: z.infer<T>, url: URL) => unknown, { status = 200, changesServers = true } = {}) =>
    (request: IncomingMessage, response: ServerResponse, url: URL): void => {
      void (async () => {
        try {
          let body: unknown;
          if (schema) body = await readValidated(request, schema);
          else await readBody(request, MAX_BODY_BYTES);
          const answer = await apply(body as z.infer<T>, url);
          if (changesServers) engine.serversChanged();
          writeJson(response, status, answer ?? {});
        } catch (error) {
          writeFailure(response, error);
        }
      })();
    };

  /**
   * "Add server" asked of the hub: the page itself opens no socket to any server. A page that accepts an
   * event stream sees each try as it goes (`progress`), then the `result`; anything else gets the JSON answer.
   */
  const detect = (request: IncomingMessage, response: ServerResponse): void => {
    void (async () => {
      let streaming = false;
      try {
        const { input, ...credentials } = await readValidated(request, detectBody);
        if (!request.headers.accept?.includes('text/event-stream')) return writeJson(response, 200, await engine.detect(input, credentials));
        response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' });
        streaming = true;
        const send = (event: string, data: unknown): void => void response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        const detection = await engine.detect(input, credentials, (attempts) => send('progress', attempts));
        send('result', detection);
        response.end();
      } catch (error) {
        if (!streaming) return writeFailure(response, error);
        response.end(`event: error\ndata: ${JSON.stringify({ error: `The hub could not detect it: ${(error as Error).message}` })}\n\n`);
      }
    })();
  };
  const idOf = (url: URL): string => {
    const parsed = idQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) throw new RequestError(400, 'Name the server as ?id=<its id>.');
    return parsed.data.id;
  };

  const routes: Record<string, Partial<Record<string, (request: IncomingMessage, response: ServerResponse, url: URL) => void>>> = {
    '/api/hub/servers': {
      POST: json(newServerBody, (body) => ({ id: book.add(body).id }), { status: 201 }),
      PATCH: json(changeBody, (body, url) => book.update(idOf(url), body)),
      DELETE: json(undefined, (_body, url) => book.remove(idOf(url))),
    },
    '/api/hub/servers/import': { POST: json(importBody, (body) => ({ added: book.importEntries(body.servers) })) },
    '/api/hub/detect': { POST: detect },
    '/api/hub/alerts/ack': { POST: json(ackBody, (body) => ({ acknowledged: engine.acknowledge(body.id) }), { changesServers: false }) },
    '/api/hub/rules': { PUT: json(ruleSetSchema, (body) => engine.setRules(body), { changesServers: false }) },
    '/api/hub/stream': { GET: stream },
    '/api/hub/history': {
      GET: (_request, response, url) => {
        const query = parseQuery(historyQuery, url, response);
        if (!query) return;
        if (query.to <= query.from) return writeJson(response, 400, { error: `to (${query.to}) must be after from (${query.from}).` });
        writeJson(response, 200, store.window(query.host, query.from, query.to, query.points, query.columns));
      },
    },
    '/api/hub/retry': {
      POST: (request, response, url) => {
        request.resume();
        const query = parseQuery(sourceQuery, url, response);
        if (!query) return;
        if (query.source) engine.retry(query.source);
        writeJson(response, 202, {});
      },
    },
    '/api/hub/watch': {
      POST: (request, response, url) => {
        request.resume();
        const query = parseQuery(sourceQuery, url, response);
        if (!query) return;
        engine.watchProcesses(query.source || undefined);
        writeJson(response, 202, {});
      },
    },
  };

  return {
    handle(request, response, url) {
      const route = routes[url.pathname];
      if (!route) return false;
      const handler = route[request.method ?? 'GET'];
      if (handler) handler(request, response, url);
      else {
        response.setHeader('Allow', Object.keys(route).join(', '));
        writeJson(response, 405, { error: `${url.pathname} accepts ${Object.keys(route).join(', ')}` });
      }
      return true;
    },
    close() {
      for (const response of streams) response.destroy();
      streams.clear();
    },
  };
}

function parseQuery<T extends z.ZodType>(schema: T, url: URL, response: ServerResponse): z.infer<T> | undefined {
  const result = schema.safeParse(Object.fromEntries(url.searchParams));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  writeJson(response, 400, { error: `Bad query: ${issue ? `${issue.path.join('.') || 'query'}: ${issue.message}` : 'invalid'}.` });
  return undefined;
}

/** Reads a JSON body and validates it: a RequestError (400) says what was wrong. */
async function readValidated<T extends z.ZodType>(request: IncomingMessage, schema: T): Promise<z.infer<T>> {
  const text = await readBody(request, MAX_BODY_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RequestError(400, 'The body is not JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RequestError(400, `Bad request: ${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'}.`);
  }
  return parsed.data;
}

function writeFailure(response: ServerResponse, error: unknown): void {
  if (error instanceof RequestError) writeJson(response, error.status, { error: error.message });
  else if (error instanceof TargetError) writeJson(response, 400, { error: error.message });
  else writeJson(response, 500, { error: `The hub could not do that: ${(error as Error).message}` });
}
