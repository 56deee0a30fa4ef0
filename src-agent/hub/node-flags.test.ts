import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HUB_NODE_FLAGS } from './node-flags';

describe('the hub node flags', () => {
  it('are the ones `npm run hub` starts the hub with', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.hub).toContain(`node ${HUB_NODE_FLAGS.join(' ')} out/agent/index.js hub`);
  });
});
