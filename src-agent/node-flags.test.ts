import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGENT_NODE_FLAGS, HUB_NODE_FLAGS } from './node-flags';

describe('the node flags', () => {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

  it('are the ones `npm run hub` starts the hub with', () => {
    expect(scripts.hub).toContain(`node ${HUB_NODE_FLAGS.join(' ')} out/agent/index.js hub`);
  });

  it('are the ones `npm run agent` starts the agent with', () => {
    expect(scripts.agent).toContain(`node ${AGENT_NODE_FLAGS.join(' ')} out/agent/index.js`);
  });
});
