import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAgent, type TestAgent } from '../../test-support/test-agent';

let agent: TestAgent;
beforeAll(async () => {
  agent = await startTestAgent([], { fakeGpus: true });
});
afterAll(() => agent.close());

function scrape(path = '/metrics', init?: RequestInit): Promise<Response> {
  return fetch(new URL(path, agent.url('metrics')), init);
}

/** Parses the text exposition format into series → value. */
function series(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return values;
}

describe('Prometheus /metrics', () => {
  it('serves node_exporter-named CPU, memory, network and filesystem metrics in the text format', async () => {
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE node_cpu_seconds_total counter');
    expect(text).toContain('# TYPE node_network_receive_bytes_total counter');
    const values = series(text);
    expect(values.get('node_cpu_seconds_total{cpu="0",mode="idle"}')).toBeGreaterThan(0);
    expect(values.get('node_memory_MemAvailable_bytes')).toBeGreaterThan(0);
    expect(values.get('node_memory_MemAvailable_bytes')).toBeLessThanOrEqual(values.get('node_memory_MemTotal_bytes')!);
    expect([...values.keys()].some((key) => key.startsWith('node_network_receive_bytes_total{device="lo"}'))).toBe(true);
    expect([...values.keys()].some((key) => key.startsWith('node_filesystem_avail_bytes{device='))).toBe(true);
    expect(values.get('node_load1')).toBeGreaterThanOrEqual(0);
  });

  it('names GPU gauges as DCGM does, one series per GPU', async () => {
    const values = series(await (await scrape()).text());
    const util = [...values.entries()].filter(([key]) => key.startsWith('DCGM_FI_DEV_GPU_UTIL{'));
    expect(util.map(([key]) => /gpu="(\d)"/.exec(key)?.[1])).toEqual(['0', '1']);
    expect(util[0]![0]).toContain('modelName="NVIDIA RTX A6000"');
    const used = [...values.entries()].find(([key]) => key.startsWith('DCGM_FI_DEV_FB_USED{gpu="0"'))![1];
    const free = [...values.entries()].find(([key]) => key.startsWith('DCGM_FI_DEV_FB_FREE{gpu="0"'))![1];
    expect(used + free).toBe(49140);
  });

  it('counters only grow between scrapes', async () => {
    const first = series(await (await scrape()).text()).get('node_cpu_seconds_total{cpu="0",mode="idle"}')!;
    await new Promise((resolve) => setTimeout(resolve, 600));
    const second = series(await (await scrape()).text()).get('node_cpu_seconds_total{cpu="0",mode="idle"}')!;
    expect(second).toBeGreaterThanOrEqual(first);
  });

  it("exports the agent's own event-loop delay only when asked to", async () => {
    expect(await (await scrape()).text()).not.toContain('fleetwatch_agent_nodejs_eventloop_lag_p99_seconds');
    const measured = await startTestAgent(['--metrics-self']);
    try {
      const text = await (await fetch(measured.url('metrics'))).text();
      expect(series(text).get('fleetwatch_agent_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    } finally {
      await measured.close();
    }
  });

  it('answers anything but GET /metrics with a JSON error', async () => {
    expect((await scrape('/')).status).toBe(404);
    expect((await scrape('/metrics', { method: 'POST', body: 'x' })).status).toBe(405);
  });
});
