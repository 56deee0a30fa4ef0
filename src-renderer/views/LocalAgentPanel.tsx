// The bundled agent's state when it is not simply running: starting, restarting, crashed (with Retry),
// unavailable, and any listener that could not start.

import type { LocalAgentStatus } from '../platform/platform';

const TITLES: Record<LocalAgentStatus['state'], string> = {
  starting: 'Starting the local agent…',
  running: 'Local agent running',
  restarting: 'The local agent stopped; restarting it…',
  crashed: 'The local agent keeps crashing',
  unavailable: 'The local agent is not available',
};

export function LocalAgentPanel({ status, onRetry }: { status: LocalAgentStatus | undefined; onRetry(): void }) {
  if (!status) return null;
  const problem = status.state !== 'running';
  if (!problem && status.failures.length === 0) return null;
  return (
    <section className={`local-agent-panel agent-${status.state}`} role="status" aria-label="This computer's agent">
      <div className="local-agent-text">
        <strong>This computer: {TITLES[status.state]}</strong>
        {status.message && <p>{status.message}</p>}
        {status.restarts > 0 && <p>Restarted {status.restarts} {status.restarts === 1 ? 'time' : 'times'}.</p>}
        {status.failures.length > 0 && (
          <ul className="failure-list">
            {status.failures.map((failure) => (
              <li key={failure}>{failure}</li>
            ))}
          </ul>
        )}
      </div>
      {(status.state === 'crashed' || status.state === 'unavailable') && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </section>
  );
}
