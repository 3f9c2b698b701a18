// What the Go tab asks first (go.status): the toolchain and its version, the sandbox, and whether this page may
// run Go; on a lab without Go, the install command for the machine's platform and a coded refusal.
import { describe, expect, it } from 'vitest';
import type { GoStatusResult } from '../../../core/protocol/demos/goRun.js';
import { GoRunDemo } from './goRunDemo.js';

const status = async (demo: GoRunDemo, local: boolean) =>
  (await demo.commands.status.run({}, { session: 's1', local })) as GoStatusResult;

describe('go.status', { timeout: 60_000 }, () => {
  it('with this machine’s Go: its version, and a local page may run', async () => {
    const s = await status(new GoRunDemo(), true);
    expect(s.toolchain.found).toBe(true);
    expect(s.toolchain.version).toMatch(/^go\d+\.\d+/);
    expect([s.toolchain.tooOld, s.mayRun, s.refusal]).toEqual([false, true, undefined]);
    expect(s.sandboxed).toBe(s.sandbox.available);
  });

  it('without Go: not found, the install commands (this platform first), and a coded refusal', async () => {
    const demo = new GoRunDemo({ runnerOptions: { go: '/nonexistent/go' } });
    const s = await status(demo, true);
    expect([s.toolchain.found, s.mayRun, s.refusal?.code]).toEqual([false, false, 'E_GO_NOT_INSTALLED']);
    expect(s.toolchain.install.map((h) => h.platform)).toContain('debian');
    expect(s.toolchain.needs).toBe('1.19');
    // gofmt is missing as well: a coded error, not a crash.
    await expect(
      demo.commands.format.run({ source: 'package main\n' }, { session: 's1', local: true }),
    ).rejects.toMatchObject({
      code: 'E_GO_NOT_INSTALLED',
    });
  });

  it('a page from another machine is told why it may not run', async () => {
    const s = await status(new GoRunDemo({ allowStudentGo: false }), false);
    expect([s.mayRun, s.refusal?.code]).toEqual([false, 'E_GO_STUDENT_NOT_ALLOWED']);
  });
});
