// Who may run Go: the lab machine's pages always (sandboxed where it works), students only with the flag and sandbox.
import { describe, expect, it } from 'vitest';
import { decideGoAccess } from './goRunAccess.js';

const noSandbox = { ok: false as const, reason: 'not root' };
const sandbox = { ok: true as const };

describe('decideGoAccess', () => {
  it('lets a page on the lab machine run, sandboxed only where the sandbox works', () => {
    expect(decideGoAccess({ local: true, allowStudentGo: false, sandbox })).toEqual({ allowed: true, sandboxed: true });
    expect(decideGoAccess({ local: true, allowStudentGo: false, sandbox: noSandbox })).toEqual({
      allowed: true,
      sandboxed: false,
    });
    expect(decideGoAccess({ local: undefined, allowStudentGo: false, sandbox: noSandbox }).allowed).toBe(true);
  });
  it('refuses a student without --allow-student-go, and with it where there is no sandbox', () => {
    const refused = decideGoAccess({ local: false, allowStudentGo: false, sandbox });
    expect(refused.allowed === false && refused.error.code).toBe('E_GO_STUDENT_NOT_ALLOWED');
    const noBox = decideGoAccess({ local: false, allowStudentGo: true, sandbox: noSandbox });
    expect(noBox.allowed === false && [noBox.error.code, noBox.error.detail]).toEqual([
      'E_GO_SANDBOX_REQUIRED',
      'not root',
    ]);
    expect(decideGoAccess({ local: false, allowStudentGo: true, sandbox })).toEqual({ allowed: true, sandboxed: true });
  });
});
