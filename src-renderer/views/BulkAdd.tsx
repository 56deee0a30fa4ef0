// "Add many": a list of servers pasted or read from a file (the hub's --servers format, one target per
// line with an optional name), each line detected by the hub a few at a time with its result shown as it
// comes, then the ones found added with one click. Bad lines say their number and why; nothing is added until
// the user says so. Leaving the page stops the detections not yet started.

import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { PROTOCOLS } from '../../proto/protocols';
import { TargetError, withoutCredentials } from '../../proto/target';
import type { ServerDetection } from '../../fleet/detect-server';
import { parseServerList } from '../../fleet/server-list';
import type { AppStore } from '../state/app-store';
import { StatusIcon } from './StatusBadge';

/** Detections the hub runs at once for one list: a long list neither waits in line nor floods the network. */
const PARALLEL_DETECTIONS = 4;

type LineState =
  | { kind: 'bad'; detail: string }
  | { kind: 'waiting' }
  | { kind: 'detecting' }
  | { kind: 'found'; detection: ServerDetection }
  | { kind: 'not-found'; detail: string }
  | { kind: 'known' }
  | { kind: 'added' }
  | { kind: 'failed'; detail: string };

interface ListLine {
  line: number;
  input: string;
  name?: string;
  tags?: string[];
  state: LineState;
}

const STATE_ICON = { bad: 'alert', waiting: 'offline', detecting: 'offline', found: 'ok', 'not-found': 'warning', known: 'ok', added: 'ok', failed: 'alert' } as const;

function stateWords(state: LineState): string {
  switch (state.kind) {
    case 'bad':
    case 'not-found':
    case 'failed':
      return state.detail;
    case 'waiting':
      return 'waiting';
    case 'detecting':
      return 'detecting…';
    case 'found':
      return `found: ${state.detection.found.map((found) => PROTOCOLS[found.protocol].label).join(', ')}`;
    case 'known':
      return 'already in the list';
    case 'added':
      return 'added';
  }
}

function notFoundWords(detection: ServerDetection): string {
  const wanted = [...new Set(detection.needsCredentials.flatMap((need) => need.protocols))];
  if (wanted.length > 0) return `needs a credential (${wanted.map((id) => PROTOCOLS[id].label).join(' or ')}): add it alone with Add server`;
  return `nothing answered (${detection.attempts.length} ${detection.attempts.length === 1 ? 'port' : 'ports'} tried)`;
}

export function BulkAdd({ store, onDone }: { store: AppStore; onDone?(message: string): void }) {
  const [text, setText] = useState('');
  const [lines, setLines] = useState<ListLine[]>([]);
  const [running, setRunning] = useState(false);
  const [adding, setAdding] = useState(false);
  const stopped = useRef(false);
  useEffect(
    () => () => {
      stopped.current = true;
    },
    [],
  );

  const update = (line: number, state: LineState): void => setLines((current) => current.map((entry) => (entry.line === line ? { ...entry, state } : entry)));

  const readFile = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    if (file) setText(await file.text());
    event.target.value = '';
  };

  const detectAll = async (): Promise<void> => {
    const { servers, problems } = parseServerList(text);
    const known = new Set(store.servers.map((server) => withoutCredentials(server.input)));
    const listed: ListLine[] = [
      ...servers.map((server): ListLine => ({ ...server, state: known.has(withoutCredentials(server.input)) ? { kind: 'known' } : { kind: 'waiting' } })),
      ...problems.map(({ line, message }): ListLine => ({ line, input: text.split(/\r?\n/)[line - 1]!.trim().split(/\s+/)[0] ?? '', state: { kind: 'bad', detail: message } })),
    ].sort((a, b) => a.line - b.line);
    setLines(listed);
    stopped.current = false;
    setRunning(true);
    const queue = listed.filter((entry) => entry.state.kind === 'waiting');
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next && !stopped.current; next = queue.shift()) {
        update(next.line, { kind: 'detecting' });
        try {
          const detection = await store.detect(next.input, {});
          update(next.line, detection.found.length > 0 ? { kind: 'found', detection } : { kind: 'not-found', detail: notFoundWords(detection) });
        } catch (error) {
          update(next.line, error instanceof TargetError ? { kind: 'bad', detail: error.message } : { kind: 'failed', detail: `detection failed: ${(error as Error).message}` });
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_DETECTIONS }, worker));
    setRunning(false);
  };

  const found = lines.filter((entry): entry is ListLine & { state: { kind: 'found' } } => entry.state.kind === 'found');
  const addFound = async (): Promise<void> => {
    setAdding(true);
    let added = 0;
    for (const entry of found) {
      try {
        await store.addDetected(entry.input, entry.name ?? '', entry.state.detection, entry.tags);
        update(entry.line, { kind: 'added' });
        added += 1;
      } catch (error) {
        update(entry.line, { kind: 'failed', detail: `not added: ${(error as Error).message}` });
      }
    }
    setAdding(false);
    onDone?.(`Added ${added} ${added === 1 ? 'server' : 'servers'}.`);
  };

  const done = lines.filter((entry) => entry.state.kind !== 'waiting' && entry.state.kind !== 'detecting').length;
  return (
    <section className="panel bulk-add" aria-labelledby="bulk-add-title">
      <h2 id="bulk-add-title">Add many</h2>
      <p className="muted">
        One server per line, as in the hub&apos;s <code>--servers</code> file: an address, <code>host:port</code> or URL, then a name and <code>+tags</code> if you like. Lines starting with <code>#</code> are skipped.
      </p>
      <textarea className="bulk-text" aria-label="Servers, one per line" rows={6} value={text} onChange={(event) => setText(event.target.value)} placeholder={'10.0.0.12 gpu-1\n10.0.0.13:8765 gpu-2\nws://lab-3:9000/ lab-3'} spellCheck={false} />
      <div className="form-actions">
        <label className="button file-button">
          Open a file…
          <input type="file" accept=".txt,.list,text/plain" onChange={(event) => void readFile(event)} />
        </label>
        {running ? (
          <button type="button" className="button" onClick={() => (stopped.current = true)}>
            Stop
          </button>
        ) : (
          <button type="button" className="button" disabled={adding || text.trim() === ''} onClick={() => void detectAll()}>
            Detect all
          </button>
        )}
        <button type="button" className="button primary" disabled={running || adding || found.length === 0} onClick={() => void addFound()}>
          Add {found.length} found
        </button>
      </div>
      {lines.length > 0 && (
        <>
          <div className="bulk-progress" role="status">
            <progress max={lines.length} value={done} aria-label="Lines detected" />
            <span>
              {done} of {lines.length} {lines.length === 1 ? 'line' : 'lines'} done · {found.length} found
            </span>
          </div>
          <ol className="bulk-lines">
            {lines.map((entry) => (
              <li key={entry.line} className={`bulk-line state-${entry.state.kind}`} data-line={entry.line}>
                {entry.state.kind === 'detecting' ? <span className="spinner" aria-hidden="true" /> : <StatusIcon state={STATE_ICON[entry.state.kind]} />}
                <span className="bulk-line-number">{entry.line}</span>
                <code className="bulk-line-input">{withoutCredentials(entry.input)}</code>
                <span className="bulk-line-name">{entry.name ?? ''}</span>
                <span className="bulk-line-state">{stateWords(entry.state)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
