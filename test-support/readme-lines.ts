// The README's Run and Test lines, for the tests that run them and the one that holds .ci/run to them.

import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The single command in the first ```sh block under "## <section>"; throws unless there is exactly one line. */
export function readmeLine(repoRoot: string, section: string): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const heading = readme.split('\n').indexOf(`## ${section}`);
  const body = heading === -1 ? [] : readme.split('\n').slice(heading + 1);
  const sectionEnd = body.findIndex((line) => line.startsWith('## '));
  const sectionLines = sectionEnd === -1 ? body : body.slice(0, sectionEnd);
  const blockStart = sectionLines.indexOf('```sh');
  const blockEnd = sectionLines.indexOf('```', blockStart + 1);
  const lines = blockStart === -1 || blockEnd === -1 ? [] : sectionLines.slice(blockStart + 1, blockEnd);
  if (lines.length !== 1) throw new Error(`README.md's ${section} section must hold one sh block of one line; found ${lines.length}`);
  return lines[0]!;
}
