// Across layers (the agent may not import renderer code): the web dashboard serves the renderer with the
// renderer's own policy.

import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src-agent/dashboard/static-files';
import { rendererContentSecurityPolicy } from '../src-renderer/platform/content-security-policy';

describe('Content Security Policy', () => {
  it('is the same for the web dashboard as for the desktop window', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(rendererContentSecurityPolicy('header'));
  });
});
