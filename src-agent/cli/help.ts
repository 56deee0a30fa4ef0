// Renders --help from the flag specifications, grouped by protocol.

import { envName, type FlagSpec } from './flags';

export interface HelpGroup {
  id: string;
  title: string;
}

export function renderHelp(usage: string, groups: readonly HelpGroup[], specs: readonly FlagSpec<unknown>[]): string {
  const lines = [usage, ''];
  for (const group of groups) {
    const inGroup = specs.filter((spec) => spec.group === group.id);
    if (inGroup.length === 0) continue;
    lines.push(`${group.title}:`);
    for (const spec of inGroup) {
      const left = `  --${spec.name}${spec.valueName ? ` ${spec.valueName}` : ''}`;
      lines.push(`${left.padEnd(40)} ${spec.help}`);
      lines.push(`${''.padEnd(40)} ${describeDefault(spec)}env ${envName(spec)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function describeDefault(spec: FlagSpec<unknown>): string {
  if (spec.isSwitch) return '';
  if (spec.defaultText !== undefined) return `default ${spec.defaultText}; `;
  if (spec.defaultValue === undefined) return '';
  return `default ${String(spec.defaultValue)}; `;
}
