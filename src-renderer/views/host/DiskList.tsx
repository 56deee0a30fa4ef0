// Each disk's usage now, as a labelled bar.

import { formatBytes, formatPercent } from '../../../proto/format';
import type { DiskSample } from '../../../proto/model';
import { diskPercent } from '../../../fleet/sample-columns';

export function DiskList({ disks }: { disks: readonly DiskSample[] }) {
  return (
    <section className="panel">
      <h2>Disks</h2>
      <ul className="disk-list">
        {disks.map((disk) => {
          const percent = diskPercent(disk);
          const used = disk.usedBytes ?? (disk.totalBytes !== undefined && disk.availableBytes !== undefined ? disk.totalBytes - disk.availableBytes : undefined);
          return (
            <li key={`${disk.name}:${disk.mountPoint ?? ''}`}>
              <div className="disk-line">
                <span className="disk-name" title={disk.name}>
                  {disk.mountPoint ?? disk.name}
                  {disk.mountPoint && disk.mountPoint !== disk.name && <span className="muted"> {disk.name}</span>}
                </span>
                <span className="disk-figures">
                  {formatBytes(used)} of {formatBytes(disk.totalBytes)} · <span className="num">{formatPercent(percent, 0)}</span>
                </span>
              </div>
              <div className={`bar${percent !== undefined && percent >= 90 ? ' bar-high' : ''}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent ?? 0} aria-label={`${disk.mountPoint ?? disk.name} used`}>
                <div className="bar-fill" style={{ width: `${Math.min(100, percent ?? 0)}%` }} />
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
