import { describe, expect, it } from 'vitest';
import { describeTarget, parseTarget, pollUrl, TargetError, targetUrl, withoutCredentials } from './target';

describe('parseTarget', () => {
  it.each([
    ['gpu-box', { host: 'gpu-box', secure: false }],
    ['gpu-box:33931', { host: 'gpu-box', port: 33931, secure: false }],
    ['192.168.1.20:8082', { host: '192.168.1.20', port: 8082 }],
    ['[::1]:3000', { host: '::1', port: 3000 }],
    ['[::1]', { host: '::1' }],
    ['ws://lab-3:3001/ws', { host: 'lab-3', port: 3001, path: '/ws', secure: false }],
    ['wss://lab-3:8443/ws?token=abc', { host: 'lab-3', port: 8443, path: '/ws', secure: true, token: 'abc' }],
    ['http://lab-3:8060/ws?secret=s3', { host: 'lab-3', port: 8060, secure: false, secret: 's3' }],
    ['https://lab-3:443/', { host: 'lab-3', port: 443, secure: true }],
    ['host:3000?token=t0k', { host: 'host', port: 3000, token: 't0k' }],
    ['sysmedic://peer_secret@vm:8061/', { host: 'vm', port: 8061, secret: 'peer_secret', protocol: 'sysmedic' }],
    ['sysmedic://s%40x@vm/', { host: 'vm', port: 8060, secret: 's@x', protocol: 'sysmedic' }],
    ['sysmedic://half:other-half@vm/', { host: 'vm', port: 8060, secret: 'half:other-half', protocol: 'sysmedic' }],
    ['  GPU-Box.lan  ', { host: 'gpu-box.lan' }],
  ])('understands %s', (input, expected) => {
    expect(parseTarget(input)).toMatchObject(expected);
  });

  it('keeps a bare host without a port so detection can try every default port', () => {
    expect(parseTarget('gpu-box').port).toBeUndefined();
  });

  it.each([
    ['', /Enter a server/],
    ['gpu box', /spaces/],
    ['ftp://host/', /not a monitoring URL/],
    ['host:0', /1 to 65535/],
    ['host:70000', /1 to 65535/],
    ['host:abc', /Port "abc" must be a number/],
    ['[fe80::1%eth0]:3000', /not a valid/],
    ['ws://', /not a valid|no host/],
    ['sysmedic://vm:8060/', /secret before the host/],
    ['ws://user@host:3000/', /only understood in http\(s\):\/\/ URLs \(basic auth\) and sysmedic/],
    ['http://us%zzer:pw@prom:9090/', /broken %-escape/],
    ['exa$mple.com', /not a valid/],
    ['[zz::1]:80', /not a valid/],
    ['sysmedic://%zz@vm/', /broken %-escape/],
    ['::1', /IPv6 address; put it in brackets: \[::1\]/],
    ['fe80::1:3000', /put it in brackets/],
  ])('rejects %j with a clear error', (input, message) => {
    expect(() => parseTarget(input)).toThrow(TargetError);
    expect(() => parseTarget(input)).toThrow(message);
  });

  it('builds WebSocket URLs with the credentials and brackets IPv6', () => {
    expect(targetUrl(parseTarget('[::1]:3000?token=x%2By'), 3000)).toBe('ws://[::1]:3000/ws?token=x%2By');
    expect(targetUrl(parseTarget('sysmedic://sec@vm:8060/'), 8060)).toBe('ws://vm:8060/ws?secret=sec');
    expect(targetUrl(parseTarget('https://h:9/custom'), 9)).toBe('wss://h:9/custom');
    expect(targetUrl(parseTarget('h'), 33931, { defaultPath: '/usage' })).toBe('ws://h:33931/usage');
  });

  it('hands a protocol only the credential it reads, and every credential where the protocol is unknown', () => {
    const both = parseTarget('h?token=t&secret=s');
    expect(targetUrl(both, 3000, { protocol: 'socktop' })).toBe('ws://h:3000/ws?token=t');
    expect(targetUrl(both, 8060, { protocol: 'sysmedic' })).toBe('ws://h:8060/ws?secret=s');
    expect(targetUrl(both, 8082, { protocol: 'servercontrol', defaultPath: '/' })).toBe('ws://h:8082/');
    expect(targetUrl(both, 9000)).toBe('ws://h:9000/ws?token=t&secret=s');
  });

  it('reads basic auth and a source\'s own parameters from an HTTP URL, and builds the polled URL with them', () => {
    const target = parseTarget('http://grafana%40lab:p%3Ass@prom:9090/?job=node|lab&token=t');
    expect(target).toMatchObject({ host: 'prom', port: 9090, basicAuth: { username: 'grafana@lab', password: 'p:ss' }, params: 'job=node%7Clab', token: 't' });
    expect(pollUrl(target, 9090, { defaultPath: '/' })).toBe('http://grafana%40lab:p%3Ass@prom:9090/?job=node%7Clab&token=t');
    expect(pollUrl(parseTarget('https://h:9100/custom/metrics'), 9100, { defaultPath: '/metrics' })).toBe('https://h:9100/custom/metrics');
    expect(pollUrl(parseTarget('h?token=t'), 9100, { defaultPath: '/metrics', owned: true })).toBe('http://h:9100/metrics');
    expect(targetUrl(parseTarget('http://u:p@h:8082/?job=x'), 8082)).toBe('ws://h:8082/ws');
  });

  it('describes a target without its credentials', () => {
    expect(describeTarget(parseTarget('sysmedic://sec@vm:8060/'))).toBe('vm:8060');
    expect(describeTarget(parseTarget('[::1]:3000?token=x'))).toBe('[::1]:3000');
  });

  it('masks every token, secret and user-info in what it shows or logs', () => {
    expect(withoutCredentials('ws://h:3000/ws?token=abc&x=1')).toBe('ws://h:3000/ws?token=•••&x=1');
    expect(withoutCredentials('h:8060?secret=zz')).toBe('h:8060?secret=•••');
    expect(withoutCredentials('sysmedic://s3cret@db:8060/')).toBe('sysmedic://•••@db:8060/');
    expect(withoutCredentials('http://user:pass@prom:9090/')).toBe('http://•••@prom:9090/');
    expect(withoutCredentials('http://u:p@ss@h:9100/')).toBe('http://•••@h:9100/');
  });

  it('never repeats a credential in the error about a bad address', () => {
    expect(() => parseTarget('http://admin:s3cret@ho^st:9100/')).toThrow(/"http:\/\/•••@ho\^st:9100\/" is not a valid address/);
    expect(() => parseTarget('http://admin:s3cret@host:9100/ x')).toThrow(/^"http:\/\/•••@host:9100\/ x" contains spaces/);
  });

  it('keeps a + in a token or a filter as a plus, and a space as a space', () => {
    const target = parseTarget('http://prom:9090/?job=node.%2Bx+y%20z&token=ab+c/d=');
    expect(target.token).toBe('ab+c/d=');
    expect(pollUrl(target, 9090, { defaultPath: '/' })).toBe('http://prom:9090/?job=node.%2Bx%2By%20z&token=ab%2Bc%2Fd%3D');
  });
});
