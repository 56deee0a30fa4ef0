import { describe, expect, it } from 'vitest';
import { closeCodeWords, networkErrorWords } from './network-words';
import { parseTarget, TargetError } from './target';

describe('network failures in words', () => {
  it("says what Node's socket errors mean", () => {
    expect(networkErrorWords('getaddrinfo ENOTFOUND gpu-box.invalid')).toBe('no such host: the name "gpu-box.invalid" does not resolve');
    expect(networkErrorWords('getaddrinfo EAI_AGAIN github.com')).toBe('the name "github.com" could not be looked up (no answer from DNS)');
    expect(networkErrorWords('connect ECONNREFUSED 127.0.0.1:3000')).toBe('nothing is listening at 127.0.0.1:3000 (connection refused)');
    expect(networkErrorWords('connect EHOSTUNREACH 10.0.0.9:8060')).toBe('10.0.0.9:8060 cannot be reached (no route, or a firewall drops the connection)');
    expect(networkErrorWords('Unexpected server response: 502')).toBe('Unexpected server response: 502');
  });

  it('says what a close code means instead of printing it, and names codes it does not know', () => {
    expect(closeCodeWords(1006)).toBe('the connection failed or dropped without a word from the server');
    expect(closeCodeWords(1009)).toBe('a message was too big for the server');
    expect(closeCodeWords(4001)).toBe('closed by the server (code 4001)');
  });

  it('explains an IPv6 address whose bracket is never closed', () => {
    for (const input of ['http://[::1', '[::1', 'ws://[::1:3000/ws']) {
      expect(() => parseTarget(input), input).toThrow(TargetError);
      expect(() => parseTarget(input), input).toThrow(/opens an IPv6 address with "\[" but never closes it/);
    }
  });
});
