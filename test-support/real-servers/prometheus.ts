// Debian's Prometheus server on loopback, scraping the targets a test names, with a TSDB of its own that
// nothing else reads. Its config is written before it starts; it never scrapes itself.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startDaemon, type ListenAt, type RealServer } from './daemon';

export interface ScrapeJob {
  name: string;
  /** `127.0.0.1:<port>` of each target. */
  targets: string[];
  /** Where the targets serve their metrics; Prometheus' default, `/metrics`, unless given. */
  metricsPath?: string;
}

export interface PrometheusOptions {
  scrapeIntervalSeconds: number;
  jobs: ScrapeJob[];
  /** Serves every route (API, readiness) under this prefix, as a Prometheus behind a reverse proxy does: `/prometheus`. */
  routePrefix?: string;
}

export function startPrometheus(options: PrometheusOptions, at?: ListenAt): Promise<RealServer> {
  const prefix = options.routePrefix?.replace(/\/+$/, '') ?? '';
  return startDaemon({
    name: 'Prometheus',
    binary: '/usr/bin/prometheus',
    debianPackage: 'prometheus',
    prepare: (_port, dataDir) => writeFileSync(path.join(dataDir, 'prometheus.yml'), scrapeConfig(options)),
    args: (port, dataDir, host) => [
      `--config.file=${path.join(dataDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dataDir, 'data')}`,
      `--web.listen-address=${host}:${port}`,
      ...(prefix ? [`--web.external-url=http://${host}:${port}${prefix}/`] : []),
    ],
    readyPath: `${prefix}/-/ready`,
  }, at);
}

/** JSON is YAML, so the config needs no YAML writer and no quoting of its own. */
function scrapeConfig({ scrapeIntervalSeconds, jobs }: PrometheusOptions): string {
  const interval = `${scrapeIntervalSeconds}s`;
  return JSON.stringify({
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    scrape_configs: jobs.map((job) => ({
      job_name: job.name,
      ...(job.metricsPath ? { metrics_path: job.metricsPath } : {}),
      static_configs: [{ targets: job.targets }],
    })),
  });
}
