// Prometheus client: every node_exporter host a Prometheus server scrapes, read with one instant query per
// poll (proto/prometheus/promql.ts), as one host per `instance`. Tells the sink when a host appears, changes,
// goes down (`up` is 0) or leaves; never queries per host.

import { z } from 'zod';
import type { SourceSink } from '../client';
import { HttpStatusError, type HttpAnswer, type PollClient, type PollContext } from '../http-source';
import type { HostInfo } from '../model';
import { MIB, parseJson } from '../units';
import { readInstantVector } from './answer';
import { decodeFleet, type HostReading } from './decode';
import { prometheusProtocol } from './descriptor';
import { fleetQuery, promqlString } from './promql';

export const BUILD_INFO_PATH = '/api/v1/status/buildinfo';

/** The status codes Prometheus' API answers a query it could not run with, its reason in the JSON body. */
const QUERY_ERROR_STATUSES = new Set([400, 422, 503]);

const buildInfoSchema = z.object({
  status: z.literal('success'),
  data: z.object({ version: z.string().min(1).max(64) }),
});

export const prometheusClient: PollClient = {
  transport: 'http',
  id: 'prometheus',
  capabilities: prometheusProtocol.capabilities,
  pollIntervalMs: 5000,
  // One answer carries every host: ~100 bytes a series, about 90 series for a 64-core host.
  maxBodyBytes: 16 * MIB,
  fingerprintPaths: [BUILD_INFO_PATH],

  fingerprint(path, answer) {
    if (path !== BUILD_INFO_PATH || !answer.body.trimStart().startsWith('{')) return null;
    const buildInfo = buildInfoSchema.safeParse(parseJson(answer.body));
    return buildInfo.success ? `Prometheus ${buildInfo.data.data.version} build info` : null;
  },

  open(context) {
    const jobPattern = context.params.get('job') || undefined;
    const what = jobPattern ? `FleetWatch's query for the jobs matching job=~${promqlString(jobPattern)}` : "FleetWatch's query";
    // A Prometheus behind a reverse proxy serves its API under the path the user gave (`/prometheus/`).
    const queryPath = `${context.path.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(fleetQuery(jobPattern))}`;
    const hosts = new FleetHosts(context.sink);
    return {
      async poll() {
        const answer = await query(context, queryPath, what);
        const fleet = decodeFleet(readInstantVector(answer, what), context.now());
        hosts.update(fleet.hosts);
        if (fleet.hosts.length === 0) throw new Error(noHostsWords(fleet.targetCount, jobPattern));
      },
      dispose() {},
    };
  },
};

async function query(context: PollContext, path: string, what: string): Promise<HttpAnswer> {
  try {
    return await context.get(path);
  } catch (error) {
    if (!(error instanceof HttpStatusError) || !QUERY_ERROR_STATUSES.has(error.status)) throw error;
    // Its reason is in the body, as in an error answered with 200.
    readInstantVector({ status: error.status, contentType: 'application/json', body: error.body }, what);
    throw new Error(`Prometheus could not run ${what}: ${error.message}`);
  }
}

/** What the sink has been told of each host, so that it hears only of changes. */
class FleetHosts {
  private readonly known = new Map<string, { info: HostInfo; online?: boolean }>();

  constructor(private readonly sink: SourceSink) {}

  update(readings: readonly HostReading[]): void {
    const listed = new Set<string>();
    for (const reading of readings) {
      listed.add(reading.id);
      this.announce(reading);
      this.status(reading.id, reading.online);
      if (reading.online && reading.sample) this.sink.sample(reading.id, reading.sample);
    }
    for (const id of [...this.known.keys()]) {
      if (listed.has(id)) continue;
      this.known.delete(id);
      this.sink.hostRemoved(id);
    }
  }

  /** A host that is down keeps the facts only its live series carried (memory size, GPUs). */
  private announce({ info: facts, online }: HostReading): void {
    const known = this.known.get(facts.id);
    const info = online ? facts : { ...known?.info, ...facts };
    if (known && JSON.stringify(known.info) === JSON.stringify(info)) return;
    this.known.set(info.id, { ...known, info });
    this.sink.host(info);
  }

  private status(id: string, online: boolean): void {
    const known = this.known.get(id)!;
    if (known.online === online) return;
    known.online = online;
    this.sink.hostStatus(id, online);
  }
}

function noHostsWords(targetCount: number, jobPattern: string | undefined): string {
  const filter = jobPattern ? `job=~${promqlString(jobPattern)}` : undefined;
  if (targetCount > 0) {
    return `none of the ${targetCount} targets Prometheus scrapes${filter ? ` in the jobs matching ${filter}` : ''} exports node_exporter's node_uname_info, which FleetWatch reads hosts from`;
  }
  return filter ? `no scrape job of this Prometheus matches ${filter}: its Status > Targets page lists the job names` : 'this Prometheus scrapes no targets yet';
}
