// "Add" for one discovered host. A host whose protocols may want a secret or token (a SysMedic server
// always does) asks for it first, so the server is not saved half-working; leaving it empty adds the
// other protocols, and the card then says which one was refused.

import { useState } from 'react';
import type { DiscoveredHost } from '../../proto/discovery';
import { capitalize } from '../../proto/format';
import type { AppStore } from '../state/app-store';
import { discoveredCredentials } from '../state/servers';

export function DiscoveredAdd({ store, host }: { store: AppStore; host: DiscoveredHost }) {
  const [asking, setAsking] = useState(false);
  const [values, setValues] = useState<{ secret?: string; token?: string }>({});
  const wanted = discoveredCredentials(host);
  const label = `Add ${host.protocols.length > 1 ? `(${host.protocols.length} protocols)` : ''}`.trim();
  if (wanted.length === 0 || !asking) {
    return (
      <button type="button" className="button" onClick={() => (wanted.length === 0 ? void store.addDiscovered(host) : setAsking(true))}>
        {label}
      </button>
    );
  }
  return (
    <form
      className="discovered-credentials"
      aria-label={`Credentials for ${host.hostname}`}
      onSubmit={(event) => {
        event.preventDefault();
        void store.addDiscovered(host, values);
      }}
    >
      <p className="muted">{capitalize(wanted.map((credential) => credential.askedBy).join(', and '))}. Without it, the other protocols are added and the card says which was refused.</p>
      <div className="form-row">
        {wanted.map((credential) => (
          <label className="field" key={credential.kind}>
            <span>{credential.label}</span>
            <input type="password" autoComplete="off" value={values[credential.kind] ?? ''} onChange={(event) => setValues((current) => ({ ...current, [credential.kind]: event.target.value }))} />
          </label>
        ))}
        <button type="submit" className="button primary">
          {label}
        </button>
        <button type="button" className="button ghost" onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
