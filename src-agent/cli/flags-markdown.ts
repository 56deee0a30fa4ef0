// The README's flag tables, rendered from the same specs that drive parsing and --help.

import { envName, type FlagSpec } from './flags';
import { describeDefault, type HelpGroup } from './help';

export function renderFlagsMarkdown(groups: readonly HelpGroup[], specs: readonly FlagSpec<unknown>[]): string {
  const sections: string[] = [];
  for (const group of groups) {
    const inGroup = specs.filter((spec) => spec.group === group.id);
    if (inGroup.length === 0) continue;
    const rows = inGroup.map((spec) => {
      const flag = `\`--${spec.name}${spec.valueName ? ` ${spec.valueName}` : ''}\``;
      const fallback = describeDefault(spec).replace(/; $/, '').replace(/^default /, '') || '—';
      return `| ${escapePipes(flag)} | \`${envName(spec)}\` | ${escapePipes(fallback)} | ${escapePipes(spec.help)} |`;
    });
    sections.push(`#### ${group.title}\n\n| flag | environment | default | what it does |\n|---|---|---|---|\n${rows.join('\n')}`);
  }
  return sections.join('\n\n');
}

function escapePipes(cell: string): string {
  return cell.replace(/\|/g, '\\|');
}
