// Says what this machine's protocols cannot show, so a missing chart reads as "not available", not "broken".

import { capabilityReport } from '../../state/capabilities';
import type { Machine } from '../../../fleet/fleet';

export function CapabilityNotice({ machine }: { machine: Machine }) {
  const report = capabilityReport(machine.protocols);
  if (report.missing.length === 0) return null;
  return (
    <aside className="capability-notice" aria-label="What this source cannot show">
      <p>
        <strong>Not available from {machine.protocols.length === 1 ? 'this protocol' : 'these protocols'}:</strong> {report.missing.join(', ')}.
      </p>
      {report.notes.map((note) => (
        <p key={note.protocol} className="muted">
          {note.label}: {note.text}
        </p>
      ))}
    </aside>
  );
}
