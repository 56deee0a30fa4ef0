// GPU usage stream server (`subscribe`), any path. `subscribe:usage` gets `subscribed`, `system_info` and a
// first `usage_update` at once; a client that says nothing for ~1 s is streamed to anyway, as the newer
// server generation does. Every other message is ignored. Each client's updates follow one interval after
// its first; one timer and one sample serve every client due at about the same moment.

import type { WebSocket } from 'ws';
import { PROTOCOLS } from '../../proto/protocols';
import { encodeSubscribed, encodeSystemInfo, encodeUsageUpdate, SUBSCRIBE_MESSAGE } from '../../proto/gpu-usage/wire';
import { numberFlag, protocolFlags } from '../cli/flags';
import { listenTcp } from '../net/listen';
import { broadcast, sendBounded } from '../net/bounded-send';
import { createWsServer } from '../net/ws-server';
import { endpointUrl } from '../net/endpoint-url';
import { StreamCadence } from './gpu-usage-cadence';
import type { ServerContext, ServerModule, RunningServer } from './types';

const ID = 'gpu-usage';
// Clients only ever send `subscribe:usage`; anything much larger is hostile.
const { port, disabled, maxFrame } = protocolFlags({ id: ID, label: PROTOCOLS[ID].label, defaultPort: PROTOCOLS[ID].defaultPort, maxFrameBytes: 4 * 1024 });
const interval = numberFlag({
  name: 'gpu-usage-interval',
  group: ID,
  help: 'Seconds between usage_update messages',
  valueName: '<seconds>',
  defaultValue: 5,
  min: 1,
  max: 60,
});

/** How long a silent client waits before it is streamed to without a subscription. */
export const UNSUBSCRIBED_STREAM_DELAY_MS = 1000;

async function start(context: ServerContext): Promise<RunningServer> {
  const log = context.log.child(ID);
  const intervalMs = context.flags.get(interval) * 1000;
  const cadence = new StreamCadence<WebSocket>(intervalMs, (due) =>
    context.sampler
      .snapshot({ gpus: true })
      .then(({ sample }) => broadcast(due, JSON.stringify(encodeUsageUpdate(sample))))
      .catch((error: Error) => log.warn(`sampling failed: ${error.message}`)),
  );

  const sendFirstFrames = async (socket: WebSocket, subscribed: boolean): Promise<void> => {
    if (subscribed) sendBounded(socket, JSON.stringify(encodeSubscribed()));
    const { host, sample } = await context.sampler.snapshot({ gpus: true });
    sendBounded(socket, JSON.stringify(encodeSystemInfo(host, sample.timeMs)));
    sendBounded(socket, JSON.stringify(encodeUsageUpdate(sample)));
    if (socket.readyState === socket.OPEN) cadence.add(socket);
  };

  const server = createWsServer({
    log,
    limits: context.limits,
    maxPayloadBytes: context.flags.get(maxFrame),
    onConnection(socket) {
      let started = false;
      const begin = (subscribed: boolean): void => {
        started = true;
        clearTimeout(silenceTimer);
        sendFirstFrames(socket, subscribed).catch((error: Error) => log.warn(`could not sample for a new client: ${error.message}`));
      };
      const silenceTimer = setTimeout(() => begin(false), UNSUBSCRIBED_STREAM_DELAY_MS);
      socket.on('message', (data, isBinary) => {
        if (isBinary || data.toString().trim() !== SUBSCRIBE_MESSAGE) return;
        if (started) sendBounded(socket, JSON.stringify(encodeSubscribed()));
        else begin(true);
      });
      socket.on('close', () => {
        clearTimeout(silenceTimer);
        cadence.delete(socket);
      });
    },
  });

  const close = async (): Promise<void> => {
    cadence.close();
    await server.close();
  };

  try {
    const actualPort = await listenTcp(server.http, context.flags.get(port), context.host, { owner: ID, what: 'WebSocket', flag: port });
    const url = endpointUrl('ws', context.host, actualPort, PROTOCOLS[ID].defaultPath);
    log.info(`listening on ${url} (usage_update every ${intervalMs / 1000} s)`);
    return {
      endpoints: [{ owner: ID, kind: 'ws', role: 'stream', host: context.host, port: actualPort, url, open: true }],
      connect: [{ protocol: ID, url }],
      failures: [],
      close,
    };
  } catch (error) {
    await close();
    return { endpoints: [], failures: [(error as Error).message], close: async () => {} };
  }
}

export const gpuUsageServer: ServerModule = { id: ID, flags: [port, disabled, maxFrame, interval], disabled, start };
