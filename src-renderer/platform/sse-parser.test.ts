import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('reads events split across chunks at any point', () => {
    const text = ': hello\n\ndata: {"a":1}\n\nevent: state\ndata: line one\ndata: line two\r\n\r\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(events).toEqual([
        { event: 'message', data: '{"a":1}' },
        { event: 'state', data: 'line one\nline two' },
      ]);
    }
  });

  it('ignores comments and events without data', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\nevent: ping\n\n')).toEqual([]);
  });

  it('drops an event that grows past its bound and goes on with the next', () => {
    const parser = new SseParser();
    const huge = 'x'.repeat(600 * 1024);
    expect(parser.push(`data: ${huge}\ndata: ${huge}\n\ndata: ok\n\n`)).toEqual([{ event: 'message', data: 'ok' }]);
  });
});
