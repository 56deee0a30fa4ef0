// The agent's dashboard API as the web page sees it: same-origin fetches carrying the agent's token, an
// auth state the page shows a prompt for, and an SSE reader over fetch (EventSource cannot send a header).
// The token usually travels as the HttpOnly cookie the agent set when the page was opened with ?token=,
// which no script here can read; one typed into the prompt lives in sessionStorage and goes as a bearer
// header.

import type { Unsubscribe } from './platform';
import { SseParser, type ServerSentEvent } from './sse-parser';

export const TOKEN_STORAGE_KEY = 'fleetwatch.agentToken';

/** `ok` until the API answers 401; `required` when no token was given, `refused` when the one given was wrong. */
export type AuthState = 'ok' | 'required' | 'refused';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface DashboardApiOptions {
  fetch: typeof fetch;
  /** sessionStorage: the token survives reloads of this tab only. */
  session: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** Origin of the API; the page's own in the browser. */
  baseUrl: string;
}

/** Moves `?token=` from the address bar into session storage so it is neither bookmarked nor shared. */
export function takeTokenFromAddress(location: Pick<Location, 'href'>, history: Pick<History, 'replaceState' | 'state'>, session: DashboardApiOptions['session']): void {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token === null) return;
  if (token) session.setItem(TOKEN_STORAGE_KEY, token);
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}

export class DashboardApi {
  private state: AuthState = 'ok';
  private readonly listeners = new Set<(state: AuthState) => void>();

  constructor(private readonly options: DashboardApiOptions) {}

  get authState(): AuthState {
    return this.state;
  }

  onAuthState(listener: (state: AuthState) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setToken(token: string): void {
    if (token) this.options.session.setItem(TOKEN_STORAGE_KEY, token);
    else this.options.session.removeItem(TOKEN_STORAGE_KEY);
    this.setState('ok');
  }

  async getJson<T>(path: string): Promise<T> {
    const response = await this.request(path, { method: 'GET' });
    return (await response.json()) as T;
  }

  async post(path: string): Promise<void> {
    await this.request(path, { method: 'POST' });
  }

  /** A JSON request that changes something; resolves with the JSON answer. */
  async send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await this.request(path, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}) });
    return (await response.json()) as T;
  }

  /**
   * Reads a Server-Sent Events stream until it ends or `signal` aborts; resolves when it ends, rejects with
   * ApiError for a refused request. `send` makes it a POST with a JSON body (work that reports progress).
   */
  async stream(path: string, onEvent: (event: ServerSentEvent) => void, signal?: AbortSignal, send?: { method: 'POST'; body: unknown }): Promise<void> {
    const headers: Record<string, string> = { Accept: 'text/event-stream', ...(send ? { 'Content-Type': 'application/json' } : {}) };
    const response = await this.request(path, { method: send?.method ?? 'GET', headers, ...(send ? { body: JSON.stringify(send.body) } : {}), ...(signal ? { signal } : {}) });
    if (!response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        for (const event of parser.push(value)) onEvent(event);
      }
    } finally {
      reader.releaseLock();
    }
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    const token = this.options.session.getItem(TOKEN_STORAGE_KEY);
    const headers = new Headers(init.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const response = await this.options.fetch(new URL(path, this.options.baseUrl), { ...init, headers, cache: 'no-store', credentials: 'same-origin' });
    if (response.status === 401) {
      this.setState(token ? 'refused' : 'required');
      throw new ApiError(401, token ? 'The hub refused the token this page has.' : 'The hub wants its token.');
    }
    if (!response.ok) throw new ApiError(response.status, await errorText(response));
    return response;
  }

  private setState(state: AuthState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}

async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // Not JSON: the status says enough.
  }
  return `The hub answered HTTP ${response.status}.`;
}
