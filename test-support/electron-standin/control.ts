// The test's side door into the stand-in: a loopback HTTP server whose port is the first line the
// process prints. GET /state is the record plus where to reach the pages over CDP; POSTs click a
// notification or a tray menu item as a person would.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cdpEndpoint } from './chromium.ts';
import { clickNotification } from './notification.ts';
import { record } from './record.ts';
import { currentTray } from './tray.ts';

function answer(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

export function startControlServer(): void {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://control');
    if (request.method === 'GET' && url.pathname === '/state') return answer(response, 200, { ...record, cdp: cdpEndpoint() ?? null });
    if (request.method === 'POST' && url.pathname === '/notification/click') {
      return answer(response, clickNotification(Number(url.searchParams.get('index'))) ? 200 : 404, {});
    }
    if (request.method === 'POST' && url.pathname === '/tray/menu/click') {
      return answer(response, currentTray()?.clickMenuItem(url.searchParams.get('label') ?? '') ? 200 : 404, {});
    }
    if (request.method === 'POST' && url.pathname === '/tray/click') {
      const tray = currentTray();
      tray?.emit('click');
      return answer(response, tray ? 200 : 404, {});
    }
    answer(response, 404, { error: `no ${request.method} ${url.pathname}` });
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ standInControl: (server.address() as AddressInfo).port })}\n`);
  });
  server.unref();
}
