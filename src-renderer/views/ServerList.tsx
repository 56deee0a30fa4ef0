// The configured servers: their protocols, tags and connection states, a credential prompt where one was
// refused, name and tags, edit and remove (with a confirmation).

import { useState } from 'react';
import type { HubServer } from '../../fleet/hub-view';
import type { ServerEntry } from '../platform/settings';
import type { AppStore } from '../state/app-store';
import { withoutCredentials } from '../../proto/target';
import { credentialName, withCredential } from '../state/servers';
import { AddServer } from './AddServer';
import { ProtocolBadge, UndetectedBadge } from './ProtocolBadge';
import { TagList } from './TagList';
import { parseTagInput, TagError } from '../../fleet/tags';

function CredentialPrompt({ store, entry, url }: { store: AppStore; entry: ServerEntry; url: string }) {
  const [value, setValue] = useState('');
  const endpoint = entry.endpoints.find((candidate) => candidate.url === url);
  const label = endpoint ? credentialName(endpoint.protocol) : undefined;
  if (!endpoint || !label) return null;
  return (
    <form
      className="credential-prompt"
      onSubmit={(event) => {
        event.preventDefault();
        void store.updateServer(entry.id, { endpoints: entry.endpoints.map((candidate) => (candidate.url === url ? withCredential(candidate, value) : candidate)) });
      }}
    >
      <label className="field">
        <span>{label} for {withoutCredentials(url)}</span>
        <input type="password" value={value} onChange={(event) => setValue(event.target.value)} autoComplete="off" />
      </label>
      <button type="submit" className="button" disabled={!value}>
        Use
      </button>
    </form>
  );
}

function ServerRow({ store, entry }: { store: AppStore; entry: HubServer }) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const machines = store.rows().filter((row) => row.machine.sourceId === entry.id).map((row) => row.machine);
  const statuses = new Map(machines.flatMap((machine) => machine.endpoints).map((endpoint) => [endpoint.url, endpoint]));
  const states = new Map([...statuses].map(([url, endpoint]) => [url, endpoint.state]));
  // Browsers hide a refused upgrade's 401, so a credentialed endpoint that never opened may be refusing too.
  const refused = entry.endpoints.filter((endpoint) => {
    const status = statuses.get(endpoint.url);
    return credentialName(endpoint.protocol) && status && (status.state.status === 'auth-required' || (!status.everConnected && status.state.status === 'reconnecting'));
  });
  const problem = machines.find((machine) => machine.status !== 'online');
  const shownAs = machines.length === 1 && machines[0]!.sameAs !== undefined ? store.row(machines[0]!.sameAs)?.machine.name : undefined;
  return (
    <li className="server-row" data-server-id={entry.id}>
      <div className="server-main">
        <div className="server-title">
          <strong>{entry.name ?? withoutCredentials(entry.input)}</strong>
          {entry.name && <span className="muted"> {withoutCredentials(entry.input)}</span>}
          <TagList tags={entry.tags ?? []} />
        </div>
        <div className="badges">
          {entry.endpoints.map((endpoint) => (
            <ProtocolBadge key={endpoint.url} protocol={endpoint.protocol} {...(states.get(endpoint.url) ? { state: states.get(endpoint.url)! } : {})} />
          ))}
          {entry.endpoints.length === 0 && <UndetectedBadge />}
        </div>
        <div className={`server-status${problem ? ' is-problem' : ''}`}>{problem ? problem.statusText : shownAs ? `Connected · the same machine as ${shownAs}, shown once` : machines.length > 0 ? `Connected · ${machines.length} ${machines.length === 1 ? 'host' : 'hosts'}` : ''}</div>
      </div>
      {entry.fromFile ? (
        <div className="server-actions">
          <span className="muted" title="The hub reads this file again when it gets SIGHUP">
            Listed in {entry.fromFile}
          </span>
        </div>
      ) : (
        <div className="server-actions">
          <button type="button" className="button small" onClick={() => setEditing(!editing)} aria-expanded={editing}>
            {editing ? 'Close' : 'Edit'}
          </button>
          {confirming ? (
            <>
              <button type="button" className="button small danger" onClick={() => void store.removeServer(entry.id)}>
                Remove {entry.name ?? 'server'}
              </button>
              <button type="button" className="button small ghost" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" className="button small ghost" onClick={() => setConfirming(true)}>
              Remove…
            </button>
          )}
        </div>
      )}
      {!entry.fromFile &&
        refused.map((endpoint) => <CredentialPrompt key={endpoint.url} store={store} entry={entry} url={endpoint.url} />)}
      {editing && (
        <div className="server-edit">
          <NameAndTagsForm store={store} entry={entry} />
          <AddServer store={store} editing={entry} onDone={() => setEditing(false)} />
        </div>
      )}
    </li>
  );
}

function NameAndTagsForm({ store, entry }: { store: AppStore; entry: ServerEntry }) {
  const [name, setName] = useState(entry.name ?? '');
  const [tagText, setTagText] = useState((entry.tags ?? []).join(', '));
  const [problem, setProblem] = useState<string | undefined>(undefined);
  return (
    <form
      className="form-row rename"
      aria-label="Name and tags"
      onSubmit={(event) => {
        event.preventDefault();
        try {
          const tags = parseTagInput(tagText);
          setProblem(undefined);
          void store.updateServer(entry.id, { name, tags });
        } catch (error) {
          if (!(error instanceof TagError)) throw error;
          setProblem(`Tags: ${error.message}.`);
        }
      }}
    >
      <label className="field grow">
        <span>Name</span>
        <input value={name} onChange={(event) => setName(event.target.value)} placeholder={withoutCredentials(entry.input)} />
      </label>
      <label className="field grow">
        <span>Tags</span>
        <input value={tagText} onChange={(event) => setTagText(event.target.value)} placeholder="gpu, rack-3" aria-invalid={problem !== undefined} />
      </label>
      <button type="submit" className="button">
        Save
      </button>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

export function ServerList({ store }: { store: AppStore }) {
  const servers = store.servers;
  const hub = store.hubStatus;
  return (
    <section className="panel">
      <h2>Servers ({servers.length})</h2>
      {hub?.serversFrom && (
        <p className="muted">
          The hub also watches every server listed in <code>{hub.serversFrom}</code>; edit that file to change those, then send the hub SIGHUP.
        </p>
      )}
      {hub && hub.problems.length > 0 && (
        <div className="notice" role="status">
          <strong>
            {hub.problems.length} {hub.problems.length === 1 ? 'line' : 'lines'} of the servers file could not be read:
          </strong>
          <ul className="failure-list">
            {hub.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      {servers.length === 0 ? (
        <p className="muted">No servers yet. This computer is always watched through the local agent.</p>
      ) : (
        <ul className="server-list">
          {servers.map((entry) => (
            <ServerRow key={entry.id} store={store} entry={entry} />
          ))}
        </ul>
      )}
    </section>
  );
}
