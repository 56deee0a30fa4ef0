import { describe, expect, it } from 'vitest';
import { rendererContentSecurityPolicy } from './content-security-policy';

describe('renderer Content Security Policy', () => {
  it('allows scripts and requests only to the app\'s own origin, and nothing that evaluates strings', () => {
    const policy = rendererContentSecurityPolicy();
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("connect-src 'self';");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/unsafe-eval|unsafe-inline/);
  });

  it('drops frame-ancestors from the meta form and allows inline scripts only in dev', () => {
    expect(rendererContentSecurityPolicy('meta')).not.toContain('frame-ancestors');
    expect(rendererContentSecurityPolicy('dev')).toContain("script-src 'self' 'unsafe-inline'");
  });
});
