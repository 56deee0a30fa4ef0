// The Servers page: add a server, add many from a list, and the list of configured ones.

import { useState } from 'react';
import type { AppStore } from '../state/app-store';
import { AddServer } from './AddServer';
import { BulkAdd } from './BulkAdd';
import { ServerList } from './ServerList';

export function Servers({ store }: { store: AppStore }) {
  const [message, setMessage] = useState<string | undefined>();
  return (
    <div className="page servers">
      <AddServer store={store} onDone={setMessage} />
      {message && (
        <p className="callout callout-online" role="status">
          {message}{' '}
          <button type="button" className="link" onClick={() => store.navigate({ view: 'overview' })}>
            See it on the overview
          </button>
        </p>
      )}
      <BulkAdd store={store} onDone={setMessage} />
      <ServerList store={store} />
    </div>
  );
}
