// Reads a Server-Sent Events stream in whatever chunks it arrives (the HTML event-stream format: `data:`
// lines joined by newlines, a blank line ends an event, `:` lines are comments). Pure; no I/O.

export interface ServerSentEvent {
  event: string;
  data: string;
}

/** An event larger than this is dropped: the dashboard's events are small JSON documents. */
const MAX_EVENT_CHARS = 1024 * 1024;

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private dataChars = 0;
  private event = 'message';

  push(chunk: string): ServerSentEvent[] {
    this.buffer += chunk;
    const events: ServerSentEvent[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      const event = this.line(line);
      if (event) events.push(event);
    }
    if (this.buffer.length > MAX_EVENT_CHARS) this.reset();
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') {
      const event = this.data.length > 0 ? { event: this.event, data: this.data.join('\n') } : undefined;
      this.reset();
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') {
      this.dataChars += value.length;
      if (this.dataChars > MAX_EVENT_CHARS) this.data = [];
      else this.data.push(value);
    } else if (field === 'event') {
      this.event = value || 'message';
    }
    return undefined;
  }

  private reset(): void {
    this.data = [];
    this.dataChars = 0;
    this.event = 'message';
    if (this.buffer.length > MAX_EVENT_CHARS) this.buffer = '';
  }
}
