// A tag group's header, on the overview's cards and in the fleet table alike: a button that folds the group,
// the tag and its host count, then how many of its hosts are in each state, worst first, so a folded group
// still says whether anything in it needs a look.

import type { OverviewRow } from '../state/overview-order';
import type { HostGroup } from '../state/host-groups';
import { STATE_LABELS } from '../state/host-state';
import { StatusIcon } from './StatusBadge';

export function groupLabel(group: HostGroup<OverviewRow>): string {
  return group.tag === undefined ? 'Hosts without a tag' : `Tag ${group.tag}`;
}

interface GroupHeadProps {
  group: HostGroup<OverviewRow>;
  collapsed: boolean;
  onToggle(key: string): void;
  /** A heading above cards; a plain block inside a table row. */
  as: 'h2' | 'div';
}

export function GroupHead({ group, collapsed, onToggle, as: Element }: GroupHeadProps) {
  const hosts = group.rows.length;
  return (
    <Element className="group-head" data-group={group.key} data-worst={group.worst}>
      <button type="button" className="group-toggle" aria-expanded={!collapsed} onClick={() => onToggle(group.key)}>
        <svg className="group-chevron" viewBox="0 0 16 16" aria-hidden="true">
          <path d="M6 3.5l4.5 4.5L6 12.5" />
        </svg>
        <span className="group-name">{group.tag ?? 'No tag'}</span>
        <span className="group-count">
          {hosts} {hosts === 1 ? 'host' : 'hosts'}
        </span>
      </button>
      <span className="group-states">
        {group.counts.map(({ state, count }) => (
          <span key={state} className={`group-state state-${state}`}>
            <StatusIcon state={state} />
            {count} {STATE_LABELS[state]}
          </span>
        ))}
      </span>
    </Element>
  );
}
