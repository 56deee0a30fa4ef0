// What servers said happened on one source: alerts and ServerControl tasks with their output, bounded in
// count and size so a chatty server cannot grow memory. Pure data; the views render it like a terminal.

import type { HostEvent } from '../proto/model';
import type { ProtocolId } from '../proto/protocols';

export interface LoggedEvent {
  /** Increasing per log: React keys and "what is new" checks. */
  seq: number;
  protocol: ProtocolId;
  hostId: string;
  event: HostEvent;
}

export interface TaskRecord {
  protocol: ProtocolId;
  hostId: string;
  taskId: string;
  command: string;
  startedAtMs: number;
  /** The newest output, at most maxTaskOutputChars (older output is cut at the front). */
  output: string;
  truncated: boolean;
  exitCode?: number | null;
  completedAtMs?: number;
}

export interface EventLogLimits {
  maxEvents: number;
  maxTasks: number;
  maxTaskOutputChars: number;
}

export const DEFAULT_EVENT_LIMITS: EventLogLimits = { maxEvents: 500, maxTasks: 50, maxTaskOutputChars: 64 * 1024 };

export class EventLog {
  private readonly logged: LoggedEvent[] = [];
  private readonly taskRecords = new Map<string, TaskRecord>();
  private nextSeq = 1;

  constructor(private readonly limits: EventLogLimits = DEFAULT_EVENT_LIMITS) {}

  add(protocol: ProtocolId, hostId: string, event: HostEvent): LoggedEvent {
    const entry: LoggedEvent = { seq: this.nextSeq++, protocol, hostId, event };
    // Task output arrives in small chunks; it lives in its task, not as hundreds of list entries.
    if (event.kind !== 'task-output') {
      this.logged.push(entry);
      if (this.logged.length > this.limits.maxEvents) this.logged.splice(0, this.logged.length - this.limits.maxEvents);
    }
    if (event.kind !== 'alert') this.recordTask(protocol, hostId, event);
    return entry;
  }

  /** Events of the given hosts, oldest first. */
  events(belongs: (protocol: ProtocolId, hostId: string) => boolean): LoggedEvent[] {
    return this.logged.filter((entry) => belongs(entry.protocol, entry.hostId));
  }

  /** Tasks of the given hosts, newest first. */
  tasks(belongs: (protocol: ProtocolId, hostId: string) => boolean): TaskRecord[] {
    return [...this.taskRecords.values()].filter((task) => belongs(task.protocol, task.hostId)).reverse();
  }

  private recordTask(protocol: ProtocolId, hostId: string, event: Exclude<HostEvent, { kind: 'alert' }>): void {
    const key = `${protocol}\u0000${hostId}\u0000${event.taskId}`;
    let task = this.taskRecords.get(key);
    if (!task || event.kind === 'task-start') {
      // A restarted server counts task ids from 1 again: a new start replaces the old record.
      this.taskRecords.delete(key);
      task = { protocol, hostId, taskId: event.taskId, command: event.kind === 'task-start' ? event.command : '(started before we connected)', startedAtMs: event.timeMs, output: '', truncated: false };
      this.taskRecords.set(key, task);
      if (this.taskRecords.size > this.limits.maxTasks) this.taskRecords.delete(this.taskRecords.keys().next().value!);
    }
    if (event.kind === 'task-output') {
      const output = task.output + event.output;
      task.truncated ||= output.length > this.limits.maxTaskOutputChars;
      task.output = output.length > this.limits.maxTaskOutputChars ? output.slice(output.length - this.limits.maxTaskOutputChars) : output;
    } else if (event.kind === 'task-complete') {
      task.exitCode = event.exitCode;
      task.completedAtMs = event.timeMs;
    }
  }
}
