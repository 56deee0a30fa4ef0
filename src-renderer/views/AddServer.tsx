// "Add server" (and "edit"): one input for anything the detector accepts, live detection progress, the
// detector's explanation per port, prompts for each credential a refusing port may want, and
// where nothing answered, the offer to add the server anyway and connect once it does (detection-advice.ts
// decides which, and both when a browser cannot tell a refused port from a closed one).

import { useRef, useState } from 'react';
import type { Attempt } from '../../proto/detect';
import { capitalize, listPorts } from '../../proto/format';
import { PROTOCOLS, type CredentialInfo } from '../../proto/protocols';
import { TargetError, withoutCredentials } from '../../proto/target';
import type { ServerEntry } from '../platform/settings';
import type { AppStore } from '../state/app-store';
import type { ServerDetection } from '../../fleet/detect-server';
import { detectionAdvice } from '../state/detection-advice';
import { inputWithCredentials } from '../state/servers';
import { ProtocolBadge } from './ProtocolBadge';
import { StatusIcon } from './StatusBadge';

const OUTCOME_STATE = { detected: 'ok', 'auth-required': 'warning', unreachable: 'offline', unrecognized: 'offline', pending: 'offline' } as const;
const OUTCOME_WORDS = { detected: 'detected', 'auth-required': 'needs credentials', unreachable: 'no connection', unrecognized: 'not recognized', pending: 'trying…' } as const;

function AttemptRow({ attempt }: { attempt: Attempt }) {
  return (
    <li className={`attempt outcome-${attempt.outcome}`}>
      {attempt.outcome === 'pending' ? <span className="spinner" aria-hidden="true" /> : <StatusIcon state={OUTCOME_STATE[attempt.outcome]} />}
      <code className="attempt-url">{attempt.url}</code>
      <span className="attempt-outcome">{attempt.protocol && attempt.outcome === 'detected' ? PROTOCOLS[attempt.protocol].label : OUTCOME_WORDS[attempt.outcome]}</span>
      <span className="attempt-detail">{attempt.outcome === 'pending' ? '' : attempt.detail}</span>
      <span className="attempt-time num">{attempt.outcome === 'pending' ? '' : `${attempt.elapsedMs} ms`}</span>
    </li>
  );
}

function credentialExplanation(ports: number[], credentials: readonly CredentialInfo[]): string {
  const asks = credentials.map((credential) => credential.askedBy).join(', and ');
  return `${capitalize(listPorts(ports))} refused the connection or could not be reached; the browser does not say which. If ${asks}, enter it and detect again.`;
}

export function AddServer({ store, editing, onDone }: { store: AppStore; editing?: ServerEntry; onDone?(message: string): void }) {
  const [input, setInput] = useState(editing?.input ?? '');
  const [name, setName] = useState(editing?.name ?? '');
  const [secret, setSecret] = useState('');
  const [token, setToken] = useState('');
  const [attempts, setAttempts] = useState<readonly Attempt[]>([]);
  const [result, setResult] = useState<ServerDetection | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = useRef(0);

  const detect = async (): Promise<void> => {
    const current = ++run.current;
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    setAttempts([]);
    try {
      const detection = await store.detect(input, { ...(secret ? { secret } : {}), ...(token ? { token } : {}) }, (progress) => {
        if (run.current === current) setAttempts(progress);
      });
      if (run.current !== current) return;
      setAttempts(detection.attempts);
      setResult(detection);
    } catch (caught) {
      if (run.current === current) setError(caught instanceof TargetError ? caught.message : `Detection failed: ${(caught as Error).message}`);
    } finally {
      if (run.current === current) setBusy(false);
    }
  };

  const reset = (): void => {
    setInput('');
    setName('');
    setSecret('');
    setToken('');
    setAttempts([]);
    setResult(undefined);
  };

  const save = async (): Promise<void> => {
    if (!result || result.found.length === 0) return;
    if (editing) {
      await store.updateServer(editing.id, { input: input.trim(), name: name.trim(), endpoints: result.found.map((found) => found.endpoint) });
      onDone?.(`Saved ${name.trim() || editing.input}.`);
    } else {
      const entry = await store.addDetected(input, name, result);
      onDone?.(`Added ${entry.name ?? result.target.host} with ${result.found.length} ${result.found.length === 1 ? 'protocol' : 'protocols'}.`);
      reset();
    }
  };

  /** Saves the server with no endpoints: the app keeps detecting it and connects once it answers. */
  const keepLooking = async (): Promise<void> => {
    if (!result) return;
    const credentials = { ...(secret ? { secret } : {}), ...(token ? { token } : {}) };
    if (editing) {
      await store.updateServer(editing.id, { input: inputWithCredentials(input, credentials), name: name.trim(), endpoints: [] });
      onDone?.(`Saved ${name.trim() || editing.input}. FleetWatch keeps looking and connects when it answers.`);
    } else {
      const entry = await store.addToDetect(input, name, credentials);
      onDone?.(`Added ${entry.name ?? result.target.host}. FleetWatch keeps looking and connects when it answers.`);
      reset();
    }
  };

  const needs = result?.needsCredentials ?? [];
  const advice = result ? detectionAdvice(result) : undefined;
  const wanted = advice?.credentials ?? [];
  const values = { secret, token };
  const setters = { secret: setSecret, token: setToken };
  const lookingOffer = advice?.keepLooking;

  return (
    <form
      className="add-server panel"
      aria-label={editing ? 'Edit server' : 'Add server'}
      onSubmit={(event) => {
        event.preventDefault();
        void detect();
      }}
    >
      <h2>{editing ? `Edit ${editing.name ?? editing.input}` : 'Add a server'}</h2>
      <p className="muted hint">
        A host name or address tries every source's usual port (node_exporter, Prometheus, Glances and Netdata too). Also accepted: <code>host:port</code>, <code>[IPv6]:port</code>, <code>ws://</code>, <code>wss://</code>, <code>http(s)://</code> URLs with
{' '}
        <code>?token=</code> or <code>?secret=</code>, <code>http://user:password@host:port/</code> for basic auth, <code>?job=</code> to limit a Prometheus to some jobs, and <code>sysmedic://secret@host:port/</code>.
      </p>
      <div className="form-row">
        <label className="field grow">
          <span>Address</span>
          <input name="address" value={input} onChange={(event) => setInput(event.target.value)} placeholder="gpu-box.lan, 10.0.0.5:8060, ws://host:3000/ws?token=…" autoComplete="off" spellCheck={false} required />
        </label>
        <label className="field">
          <span>Name (optional)</span>
          <input name="name" value={name} onChange={(event) => setName(event.target.value)} placeholder="Lab GPU box" autoComplete="off" />
        </label>
        <button type="submit" className="button primary" disabled={busy || input.trim() === ''}>
          {busy ? 'Detecting…' : 'Detect'}
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {attempts.length > 0 && (
        <div className="detection" aria-live="polite">
          <h3>{busy ? 'Detecting…' : 'What the detector found'}</h3>
          <ul className="attempt-list">
            {attempts.map((attempt) => (
              <AttemptRow key={attempt.url} attempt={attempt} />
            ))}
          </ul>
        </div>
      )}
      {result && result.found.length > 0 && (
        <div className="found">
          <h3>Detected</h3>
          <ul className="found-list">
            {result.found.map((found) => (
              <li key={found.endpoint.url}>
                <ProtocolBadge protocol={found.protocol} />
                <span>
                  <strong>{PROTOCOLS[found.protocol].label}</strong> ({PROTOCOLS[found.protocol].variant}) at <code>{withoutCredentials(found.endpoint.url)}</code>: {found.evidence}.
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {result && wanted.length > 0 && (
        <fieldset className="credentials">
          <legend>Credentials</legend>
          <p>{credentialExplanation(needs.map((need) => need.port), wanted)}</p>
          <div className="form-row">
            {wanted.map((credential) => (
              <label className="field" key={credential.kind}>
                <span>{credential.label}</span>
                <input name={credential.kind} type="password" value={values[credential.kind]} onChange={(event) => setters[credential.kind](event.target.value)} autoComplete="off" />
              </label>
            ))}
            <button type="submit" className="button" disabled={busy || (!secret && !token)}>
              Detect again
            </button>
          </div>
        </fieldset>
      )}
      {lookingOffer && (
        <div className="keep-looking">
          <p>
            {lookingOffer === 'silent' ? (
              <>
                <strong>Nothing on this address answered in a protocol FleetWatch knows.</strong> Check the address and port. If the server is off or not started yet, add it anyway:
              </>
            ) : (
              <>
                <strong>Or nothing is listening there yet.</strong> If the server is off or not started, add it anyway, with the secret or token above if it needs one:
              </>
            )}{' '}
            FleetWatch keeps looking (again after a second, then less often, at least every 30 s) and connects as soon as the server answers.
          </p>
          <button type="button" className="button primary" onClick={() => void keepLooking()}>
            {editing ? 'Save anyway — keep looking' : 'Add anyway — keep looking'}
          </button>
        </div>
      )}
      {result && result.found.length === 0 && wanted.length === 0 && !lookingOffer && <p className="form-error">Nothing on this address spoke a protocol FleetWatch knows. Check the address and port.</p>}
      {result && result.found.length > 0 && (
        <div className="form-actions">
          <button type="button" className="button primary" onClick={() => void save()}>
            {editing ? 'Save changes' : `Add ${result.found.length === 1 ? 'server' : `server (${result.found.length} protocols)`}`}
          </button>
        </div>
      )}
    </form>
  );
}
