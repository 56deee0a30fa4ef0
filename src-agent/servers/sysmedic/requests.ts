// Answers one client request frame `{type, request_id, data?}` with one response echoing `request_id`.
// Every frame gets an answer, never an exception: unknown types and unreadable frames get `error`.

import type { Sampler } from '../../sampler/sampler';
import { parseJson } from '../../../proto/units';
import {
  encodeAlertsResponse,
  encodeConfigResponse,
  encodeError,
  encodePong,
  encodeSystemInfoResponse,
  encodeUptimeResponse,
  encodeUserMetricsResponse,
  type MonitorSettings,
  type RequestId,
} from '../../../proto/sysmedic/wire';
import { rootDiskPercent, usersFrom } from './readings';
import type { ThresholdAlerts } from './threshold-alerts';

export interface RequestContext {
  sampler: Sampler;
  alerts: ThresholdAlerts;
  settings: MonitorSettings;
  now(): number;
}

export const INVALID_REQUEST = 'Invalid request: expected JSON {"type": "...", "request_id": "..."}';

function requestIdOf(value: unknown): RequestId | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}

export interface Answer {
  /** The serialized response. */
  response: string;
  /** Why the request was refused, for a debug log line; absent when it was answered. */
  refused?: string;
}

export async function answerRequest(frame: string, context: RequestContext): Promise<Answer> {
  const parsed = parseJson(frame);
  const request = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as { type?: unknown; request_id?: unknown }) : undefined;
  const requestId = requestIdOf(request?.request_id);
  if (typeof request?.type !== 'string') {
    return { response: JSON.stringify(encodeError(INVALID_REQUEST, requestId, context.now())), refused: parsed === undefined ? 'a frame that is not JSON' : 'a request without a string type' };
  }
  try {
    const response = await respond(request.type, requestId, context);
    return response.type === 'error' ? { response: JSON.stringify(response), refused: 'an unknown request type' } : { response: JSON.stringify(response) };
  } catch (error) {
    return { response: JSON.stringify(encodeError(`Failed to get system metrics: ${(error as Error).message}`, requestId, context.now())) };
  }
}

async function respond(type: string, requestId: RequestId | undefined, context: RequestContext): Promise<{ type: string }> {
  switch (type) {
    case 'get_system_info': {
      const { sample } = await context.sampler.snapshot({ disks: true });
      return encodeSystemInfoResponse({ ...sample, diskUsedPercent: rootDiskPercent(sample.disks) }, requestId);
    }
    case 'get_alerts':
      return encodeAlertsResponse(context.alerts.summary(), requestId, context.now());
    case 'get_user_metrics': {
      const { host, sample } = await context.sampler.snapshot({ processes: true });
      return encodeUserMetricsResponse(usersFrom(sample.processes, host.memoryTotalBytes ?? sample.memory?.totalBytes), requestId, context.now());
    }
    case 'get_config':
      return encodeConfigResponse(context.settings, requestId, context.now());
    case 'get_uptime': {
      const { sample } = await context.sampler.snapshot();
      return encodeUptimeResponse(sample, requestId);
    }
    case 'ping':
      return encodePong(requestId, context.now());
    default:
      return encodeError(`Unknown request type: ${type}`, requestId, context.now());
  }
}
