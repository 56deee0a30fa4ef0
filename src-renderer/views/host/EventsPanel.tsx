// What the server said happened: its alerts, and ServerControl tasks with their live output shown like a
// terminal (newest output at the bottom, kept in view while it streams).

import { useEffect, useRef } from 'react';
import type { LoggedEvent, TaskRecord } from '../../../fleet/event-log';
import { formatAgo, formatClock } from '../../state/time-format';
import { StatusIcon } from '../StatusBadge';

function TaskTerminal({ task, nowMs }: { task: TaskRecord; nowMs: number }) {
  const output = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const element = output.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [task.output.length]);
  const state = task.completedAtMs === undefined ? 'running' : task.exitCode === 0 ? 'succeeded' : 'failed';
  return (
    <div className={`terminal task-${state}`}>
      <div className="terminal-head">
        <code className="terminal-command">$ {task.command}</code>
        <span className="terminal-state">
          {state === 'running' ? 'running' : `exit ${task.exitCode ?? '?'}`} · task {task.taskId} · {formatAgo(task.startedAtMs, nowMs)}
        </span>
      </div>
      <pre ref={output} className="terminal-output" aria-label={`Output of task ${task.taskId}`}>
        {task.truncated && <span className="muted">[earlier output cut]{'\n'}</span>}
        {task.output || (state === 'running' ? '' : '(no output)')}
      </pre>
    </div>
  );
}

export function EventsPanel({ events, tasks, showAlerts, showTasks, nowMs }: { events: LoggedEvent[]; tasks: TaskRecord[]; showAlerts: boolean; showTasks: boolean; nowMs: number }) {
  const alerts = events.filter((entry) => entry.event.kind === 'alert').reverse();
  return (
    <section className="panel events">
      <h2>Events</h2>
      {showAlerts && (
        <div className="event-block">
          <h3>Server alerts</h3>
          {alerts.length === 0 ? (
            <p className="muted">No alerts from the server since we connected.</p>
          ) : (
            <ul className="event-list">
              {alerts.slice(0, 50).map((entry) =>
                entry.event.kind === 'alert' ? (
                  <li key={entry.seq} className={`event severity-${entry.event.severity}`}>
                    <StatusIcon state={entry.event.severity === 'critical' ? 'alert' : entry.event.severity === 'warning' ? 'warning' : 'ok'} />
                    <span className="event-time num">{formatClock(entry.event.timeMs, true)}</span>
                    <span className="event-message">{entry.event.message}</span>
                  </li>
                ) : null,
              )}
            </ul>
          )}
        </div>
      )}
      {showTasks && (
        <div className="event-block">
          <h3>Tasks</h3>
          {tasks.length === 0 ? <p className="muted">No task has run since we connected.</p> : tasks.slice(0, 10).map((task) => <TaskTerminal key={`${task.protocol}:${task.taskId}:${task.startedAtMs}`} task={task} nowMs={nowMs} />)}
        </div>
      )}
    </section>
  );
}
