import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInside } from './staticFiles.js';

describe('resolveInside', () => {
  const root = path.resolve('/srv/web');
  it('maps URL paths into the root', () => {
    expect(resolveInside(root, '/assets/app.js')).toBe(path.join(root, 'assets/app.js'));
    expect(resolveInside(root, '/')).toBe(root);
  });
  it('never leaves the root', () => {
    expect(resolveInside(root, '/../../etc/passwd')).toBe(path.join(root, 'etc/passwd'));
    expect(resolveInside(root, '/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(root, 'etc/passwd'));
    expect(resolveInside(root, '/a%00b')).toBeNull();
    expect(resolveInside(root, '/%E0%A4%A')).toBeNull();
  });
});
