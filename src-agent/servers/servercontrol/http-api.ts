// ServerControl's HTTP API: exactly the real server's endpoints. /stats and /hostname are open; the task
// endpoints exist only behind --allow-exec and the bearer token (403 when exec is off, 401 without the token).
// Every /exec and /kill is audited (whatever --log-level says), naming the task, the caller's address and the command.

import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { encodeStats, parseTaskId, type ErrorResponse } from '../../../proto/servercontrol/http-wire';
import type { Logger } from '../../log';
import { checkRequestOrigin, guardServer } from '../../net/guard';
import { bearerMatches } from '../../net/secret-match';
import type { AgentLimits } from '../../net/limits';
import { http } from '../../net/node-http';
import { writeJson } from '../../net/write-json';
import { requestUrl } from '../../net/ws-server';
import type { Sampler } from '../../sampler/sampler';
import type { TaskRunner } from './tasks';
import { readBody, RequestError } from '../../net/read-body';

/** Bodies are a small JSON object; anything larger is refused unread. */
export const MAX_BODY_BYTES = 64 * 1024;
/** A client that trickles its request this long is cut off. */
const REQUEST_TIMEOUT_MS = 15_000;

export interface HttpApiOptions {
  sampler: Sampler;
  log: Logger;
  tasks: TaskRunner;
  /** The bearer token when --allow-exec is on and a token was given; absent means exec is off. */
  execToken?: string;
  limits: AgentLimits;
}

interface Route {
  method: 'GET' | 'POST';
  /** Task routes need exec on and the token. */
  guarded: boolean;
  /** The answer while exec is off, where a plain 403 would break real clients that poll the route. */
  whenExecOff?(response: ServerResponse): void;
  handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> | void;
}


export function createHttpApi(options: HttpApiOptions): HttpServer {
  const { sampler, log, tasks, execToken } = options;
  const remote = (request: IncomingMessage): string => request.socket.remoteAddress ?? 'unknown address';
  const taskIdOf = (url: URL): string => {
    const id = parseTaskId(url.searchParams.get('id'));
    if (id === null) throw new RequestError(400, 'Give the task as ?id=N (a decimal task id)');
    return id;
  };

  const routes: Record<string, Route> = {
    '/stats': { method: 'GET', guarded: false, handle: async (_request, response) => writeJson(response, 200, encodeStats(await sampler.snapshot())) },
    '/hostname': { method: 'GET', guarded: false, handle: async (_request, response) => writeJson(response, 200, { hostname: (await sampler.hostInfo()).hostname }) },
    '/tasks': {
      method: 'GET',
      guarded: true,
      whenExecOff: (response) => writeJson(response, 200, []),
      handle: (_request, response) => writeJson(response, 200, tasks.list()),
    },
    '/logs': {
      method: 'GET',
      guarded: true,
      handle: (_request, response, url) => {
        const id = taskIdOf(url);
        const logs = tasks.logs(id);
        if (logs === undefined) throw new RequestError(404, `No task ${id}`);
        writeJson(response, 200, { logs });
      },
    },
    '/exec': {
      method: 'POST',
      guarded: true,
      handle: async (request, response) => {
        const body = await readBody(request, MAX_BODY_BYTES);
        // Loaded here: an agent whose /exec is never called never loads zod for it.
        const { decodeExecRequest } = await import('../../../proto/servercontrol/exec-request');
        const decoded = decodeExecRequest(body);
        if ('error' in decoded) throw new RequestError(400, decoded.error);
        const id = tasks.run(decoded.command);
        if (id === null) throw new RequestError(429, 'Too many tasks are running; wait for one to finish or kill one');
        log.audit(`exec: task ${id} from ${remote(request)}: ${JSON.stringify(decoded.command)}`);
        writeJson(response, 200, { task_id: id });
      },
    },
    '/kill': {
      method: 'POST',
      guarded: true,
      handle: (request, response, url) => {
        const id = taskIdOf(url);
        const result = tasks.kill(id);
        if (result === 'unknown') throw new RequestError(404, `No task ${id}`);
        if (result === 'not-running') throw new RequestError(409, `Task ${id} is not running`);
        log.audit(`kill: task ${id} from ${remote(request)}`);
        writeJson(response, 200, { task_id: id, killed: true });
      },
    },
  };

  const refuse = (response: ServerResponse, status: number, error: string): void => {
    // The rest of a refused body is never read, so the connection cannot be reused.
    response.shouldKeepAlive = false;
    writeJson(response, status, { error } satisfies ErrorResponse);
  };

  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const foreign = checkRequestOrigin(request, options.limits);
    if (foreign) return refuse(response, foreign.status, foreign.body);
    const url = requestUrl(request);
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (!route) return refuse(response, 404, `No endpoint at ${url.pathname}`);
    if (request.method !== route.method) {
      response.setHeader('Allow', route.method);
      return refuse(response, 405, `${url.pathname} takes ${route.method}`);
    }
    if (route.guarded && execToken === undefined) {
      if (route.whenExecOff) return route.whenExecOff(response);
      return refuse(response, 403, 'Remote command execution is off on this agent (start it with --allow-exec and --token)');
    }
    if (route.guarded && execToken !== undefined && !bearerMatches(request.headers.authorization, execToken)) {
      log.debug(`refused ${url.pathname} from ${remote(request)}: missing or wrong bearer token`);
      response.setHeader('WWW-Authenticate', 'Bearer');
      return refuse(response, 401, 'Send the agent token as Authorization: Bearer <token>');
    }
    Promise.resolve()
      .then(() => route.handle(request, response, url))
      .catch((error: Error) => {
        if (response.headersSent) return void response.destroy();
        if (error instanceof RequestError) return refuse(response, error.status, error.message);
        log.warn(`${url.pathname} failed: ${error.message}`);
        refuse(response, 500, 'The agent could not answer this request');
      });
  };
  const server = http.createServer();
  guardServer(server, onRequest, options.limits, log);
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.on('clientError', (error, socket) => {
    log.debug(`bad HTTP request: ${error.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
