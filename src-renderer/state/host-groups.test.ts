import { describe, expect, it } from 'vitest';
import type { Machine } from '../../fleet/fleet';
import type { FleetHostState } from '../platform/platform';
import { groupByTag, tableItems, tagChoices, UNTAGGED_KEY } from './host-groups';
import type { OverviewRow } from './overview-order';

function row(name: string, tags: string[], state: FleetHostState = 'ok'): OverviewRow {
  const machine: Machine = { key: name, sourceId: name, sourceName: name, local: false, name, protocols: ['servercontrol'], tags, endpoints: [], status: state === 'offline' ? 'offline' : 'online', capabilities: [], parts: [] };
  return { machine, state };
}

const rows = [row('a', ['gpu', 'rack-1'], 'warning'), row('b', ['GPU']), row('c', []), row('d', ['rack-1'], 'offline'), row('e', ['rack-1'], 'alert')];

describe('hosts grouped by tag', () => {
  it('puts a host under each of its tags, compares tags without case, and keeps the hosts without tags last', () => {
    const groups = groupByTag(rows);
    expect(groups.map((group) => [group.key, group.tag, group.rows.map((member) => member.machine.name)])).toEqual([
      ['gpu', 'gpu', ['a', 'b']],
      ['rack-1', 'rack-1', ['a', 'd', 'e']],
      [UNTAGGED_KEY, undefined, ['c']],
    ]);
  });

  it("gives each group its worst state and its hosts per state, worst first", () => {
    const [gpu, rack] = groupByTag(rows);
    expect(gpu!.worst).toBe('warning');
    expect(gpu!.counts).toEqual([
      { state: 'warning', count: 1 },
      { state: 'ok', count: 1 },
    ]);
    expect(rack!.worst).toBe('alert');
    expect(rack!.counts.map((count) => count.state)).toEqual(['alert', 'offline', 'warning']);
  });

  it('offers each tag once for the filter, by name, with its host count', () => {
    expect(tagChoices(rows)).toEqual([
      { tag: 'gpu', count: 2 },
      { tag: 'rack-1', count: 3 },
    ]);
  });

  it("lays out the table: a header per group, its hosts under it unless folded, each row's key unique", () => {
    const items = tableItems(rows, groupByTag(rows), ['gpu']);
    expect(items.map((item) => (item.kind === 'group' ? `[${item.group.key}${item.collapsed ? ' folded' : ''}]` : item.row.machine.name))).toEqual(['[gpu folded]', '[rack-1]', 'a', 'd', 'e', '[]', 'c']);
    const both = tableItems(rows, groupByTag(rows), []);
    expect(new Set(both.map((item) => item.key)).size).toBe(both.length);
    expect(tableItems(rows, undefined, ['gpu']).map((item) => item.key)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
