// Web mode only: this page does not have the agent's dashboard token (or has a wrong one).

import { useState } from 'react';
import type { AuthState } from '../platform/web-api';

export function TokenPrompt({ state, onToken }: { state: AuthState; onToken(token: string): void }) {
  const [token, setToken] = useState('');
  if (state === 'ok') return null;
  return (
    <div className="modal-backdrop">
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="token-title"
        onSubmit={(event) => {
          event.preventDefault();
          onToken(token.trim());
        }}
      >
        <h2 id="token-title">{state === 'refused' ? 'The agent refused that token' : 'This agent needs its token'}</h2>
        <p>
          The agent guards this dashboard with a token: its <code>--token</code>, or the one it printed when it started (the address ending in{' '}
          <code>?token=…</code>). Open that address, or paste the token here; it is kept for this tab only.
        </p>
        <label className="field">
          <span>Agent token</span>
          <input type="password" value={token} onChange={(event) => setToken(event.target.value)} autoFocus autoComplete="off" />
        </label>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={!token.trim()}>
            Connect
          </button>
        </div>
      </form>
    </div>
  );
}
