import { describe, expect, it } from 'vitest';
import { decodeDiscoveryAnswer } from './discovery';

describe('discovery answers', () => {
  it('reads the v1 answer recorded from a real ServerControl server', () => {
    expect(decodeDiscoveryAnswer('{"discovery_port":8081,"hostname":"vm","port":8080,"type":"SERVER_RESPONSE","ws_port":8082}', '10.0.0.5')).toEqual({
      hostname: 'vm',
      protocols: [{ protocol: 'servercontrol', port: 8082 }],
      httpPort: 8080,
      isFleetWatchAgent: false,
    });
  });

  it('defaults the stream to 8082 for the oldest servers, which omit ws_port', () => {
    expect(decodeDiscoveryAnswer('{"type":"SERVER_RESPONSE","hostname":"old","port":8080,"discovery_port":8081}', '10.0.0.6')?.protocols).toEqual([{ protocol: 'servercontrol', port: 8082 }]);
  });

  it('takes the stats stream from ws_stats for the later generation', () => {
    const answer = decodeDiscoveryAnswer('{"type":"SERVER_RESPONSE","hostname":"new","port":8080,"ws_main":9000,"ws_stats":9001,"ws_files":9002,"ws_desktop":9003,"discovery_port":2031}', '10.0.0.7');
    expect(answer?.protocols).toEqual([{ protocol: 'servercontrol', port: 9001 }]);
  });

  it('offers every protocol our agent advertises', () => {
    const answer = decodeDiscoveryAnswer(
      '{"type":"SERVER_RESPONSE","hostname":"gpu-box","port":8080,"ws_port":8082,"discovery_port":8081,"agent":"fleetwatch","gpu_usage_port":33931,"socktop_port":3000,"vstats_port":3001,"sysmedic_port":8060}',
      '10.0.0.8',
    );
    expect(answer?.isFleetWatchAgent).toBe(true);
    expect(answer?.protocols.map((entry) => `${entry.protocol}:${entry.port}`)).toEqual(['servercontrol:8082', 'sysmedic:8060', 'vstats:3001', 'gpu-usage:33931', 'socktop:3000']);
  });

  it('falls back to the sender address when the hostname is missing', () => {
    expect(decodeDiscoveryAnswer('{"type":"SERVER_RESPONSE"}', '10.0.0.9')?.hostname).toBe('10.0.0.9');
  });

  it.each(['DISCOVER_SERVER', '{}', '{"type":"SERVER_RESPONSE","ws_port":70000}', '{"type":"SERVER_RESPONSE","hostname":5}', 'null', '\u0000\u0001'])('ignores %j', (text) => {
    expect(decodeDiscoveryAnswer(text, '10.0.0.1')).toBeNull();
  });
});
