// The processes a source streams (socktop), sortable and filterable, at most 200 rows drawn.

import { useState } from 'react';
import { formatBytes } from '../../../proto/format';
import type { ProcessSample } from '../../../proto/model';
import { nextSort, processPage, type ProcessColumn, type ProcessQuery } from '../../state/process-table';

const HEADINGS: { column: ProcessColumn; label: string; numeric: boolean }[] = [
  { column: 'pid', label: 'PID', numeric: true },
  { column: 'name', label: 'Name', numeric: false },
  { column: 'user', label: 'User', numeric: false },
  { column: 'cpu', label: 'CPU', numeric: true },
  { column: 'memory', label: 'Memory', numeric: true },
];

export function ProcessTable({ processes, processCount }: { processes: readonly ProcessSample[] | undefined; processCount?: number }) {
  const [query, setQuery] = useState<ProcessQuery>({ sort: 'cpu', descending: true, filter: '', limit: 200 });
  const showUser = processes?.some((process) => process.user) ?? false;
  const headings = HEADINGS.filter((heading) => heading.column !== 'user' || showUser);
  const page = processes ? processPage(processes, query) : undefined;
  return (
    <section className="panel processes">
      <div className="panel-head">
        <h2>Processes {processCount !== undefined && <span className="muted">({processCount})</span>}</h2>
        <input type="search" className="search" placeholder="Filter processes" aria-label="Filter processes" value={query.filter} onChange={(event) => setQuery({ ...query, filter: event.target.value })} />
      </div>
      {!page ? (
        <p className="muted">Waiting for the process list…</p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="data-table process-table">
              <thead>
                <tr>
                  {headings.map((heading) => (
                    <th key={heading.column} className={`col-${heading.column}${heading.numeric ? ' numeric' : ''}`} aria-sort={query.sort === heading.column ? (query.descending ? 'descending' : 'ascending') : 'none'}>
                      <button type="button" onClick={() => setQuery(nextSort(query, heading.column))}>
                        {heading.label}
                        <span className="sort-mark" aria-hidden="true">
                          {query.sort === heading.column ? (query.descending ? '▼' : '▲') : ''}
                        </span>
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.rows.map((process) => (
                  <tr key={process.pid}>
                    <td className="numeric">{process.pid}</td>
                    <td className="process-name" title={process.command ?? process.name}>
                      {process.name}
                    </td>
                    {showUser && <td>{process.user ?? ''}</td>}
                    <td className="numeric">{process.cpuPercent.toFixed(1)} %</td>
                    <td className="numeric">{formatBytes(process.memoryBytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted table-note">
            {page.matched > page.rows.length ? `Showing ${page.rows.length} of ${page.matched} matching processes.` : `${page.matched} of ${page.total} processes.`}
          </p>
        </>
      )}
    </section>
  );
}
