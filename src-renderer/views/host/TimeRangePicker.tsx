// The host page's time range: the last few minutes up to 30 days, or, with a hub's stored history, a span
// the user types (start and end, local time). A span it cannot chart says why instead of charting nothing.

import { useState, type FormEvent } from 'react';
import { parseCustomSpan, toLocalInput, type ChartSpan } from '../../state/time-format';

interface Range {
  label: string;
  ms: number;
}

export function TimeRangePicker({ ranges, span, custom, onChange }: { ranges: readonly Range[]; span: ChartSpan; custom: boolean; onChange(span: ChartSpan): void }) {
  const [editing, setEditing] = useState(false);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [error, setError] = useState<string | undefined>();

  const startEditing = (): void => {
    const nowMs = Date.now();
    const [fromMs, toMs] = span.kind === 'custom' ? [span.fromMs, span.toMs] : [nowMs - span.ms, nowMs];
    setFromText(toLocalInput(fromMs));
    setToText(toLocalInput(toMs));
    setError(undefined);
    setEditing(true);
  };
  const apply = (event: FormEvent): void => {
    event.preventDefault();
    const parsed = parseCustomSpan(fromText, toText, Date.now());
    if ('error' in parsed) return setError(parsed.error);
    setEditing(false);
    onChange(parsed.span);
  };

  return (
    <div className="time-range">
      <div className="segmented" role="group" aria-label="Time range">
        {ranges.map((range) => (
          <button key={range.ms} type="button" aria-pressed={span.kind === 'recent' && range.ms === span.ms} onClick={() => (setEditing(false), onChange({ kind: 'recent', ms: range.ms }))}>
            {range.label}
          </button>
        ))}
        {custom && (
          <button type="button" aria-pressed={span.kind === 'custom'} aria-expanded={editing} onClick={() => (editing ? setEditing(false) : startEditing())}>
            Custom
          </button>
        )}
      </div>
      {editing && (
        <form className="custom-span" onSubmit={apply} aria-label="Custom time range">
          <label>
            <span>From</span>
            <input type="datetime-local" value={fromText} onChange={(event) => setFromText(event.target.value)} />
          </label>
          <label>
            <span>To</span>
            <input type="datetime-local" value={toText} onChange={(event) => setToText(event.target.value)} />
          </label>
          <button type="submit" className="button primary">
            Show
          </button>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
