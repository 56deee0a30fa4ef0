import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentFlags } from '../agent';
import { envName } from './flags';
import { renderFlagsMarkdown } from './flags-markdown';
import { hubFlags, hubHelpGroups } from '../hub/run-hub';
import { helpGroups } from './run-agent';

const README = path.resolve(import.meta.dirname, '../../README.md');
describe('README', () => {
  it.each([
    { what: 'agent', marker: 'agent-flags', groups: helpGroups, specs: agentFlags },
    { what: 'hub', marker: 'hub-flags', groups: hubHelpGroups, specs: hubFlags },
  ])('lists every $what flag with its environment variable and default, as the specs define them', ({ marker, groups, specs }) => {
    const START = `<!-- ${marker}:start (generated from the flag specs; see src-agent/cli/readme.test.ts) -->`;
    const END = `<!-- ${marker}:end -->`;
    const text = readFileSync(README, 'utf8');
    const expected = renderFlagsMarkdown(groups(), specs());
    const begin = text.indexOf(START);
    const end = text.indexOf(END);
    expect(begin, `README.md needs the markers ${START} … ${END}`).toBeGreaterThanOrEqual(0);
    const current = text.slice(begin + START.length, end).trim();
    if (process.env.UPDATE_README === '1' && current !== expected) {
      writeFileSync(README, `${text.slice(0, begin + START.length)}\n${expected}\n${text.slice(end)}`);
      return;
    }
    expect(current, 'README flag tables are stale: run `UPDATE_README=1 npx vitest run src-agent/cli/readme.test.ts`').toBe(expected);
    for (const spec of specs()) expect(text).toContain(envName(spec));
  });
});
