// Building the Go helper: without a Go toolchain the demo says so with a code; with one, the binary is built once
// and the source passes go vet.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabError } from '../../../core/protocol/errors.js';
import { buildReuseHelper, REUSE_HELPER_SOURCE } from './reuseHelperBuild.js';
import { PortReuseDemo } from './portReuseDemo.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the port-reuse helper build', () => {
  it('rejects with E_GO_NOT_INSTALLED when there is no go command', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'reuse-nogo-'));
    dirs.push(cacheDir);
    const err = await buildReuseHelper({ go: '/nonexistent/go', cacheDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).code).toBe('E_GO_NOT_INSTALLED');
  });

  it("a run without Go answers the demo's command with the same code, and the demo keeps running", async () => {
    const demo = new PortReuseDemo({ go: '/nonexistent/go', cacheDir: mkdtempSync(join(tmpdir(), 'reuse-nogo-')) });
    await demo.start({ host: '127.0.0.1', port: () => 0, emit: () => {} });
    const err = await Promise.resolve(demo.commands.live.run({ reusePort: false }, { session: 's' })).catch(
      (e: unknown) => e,
    );
    expect((err as LabError).code).toBe('E_GO_NOT_INSTALLED');
    await expect(demo.commands.live.run({ reusePort: false }, { session: 's' })).rejects.toMatchObject({
      code: 'E_GO_NOT_INSTALLED',
    });
    await demo.stop();
  });

  it('builds once into the cache folder and vets clean with Go 1.19', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'reuse-build-'));
    dirs.push(cacheDir);
    const first = await buildReuseHelper({ cacheDir });
    expect(await buildReuseHelper({ cacheDir })).toBe(first);
    const vet = spawnSync('go', ['vet', REUSE_HELPER_SOURCE], { cwd: dirname(REUSE_HELPER_SOURCE), encoding: 'utf8' });
    expect(vet.status, vet.stderr).toBe(0);
  }, 180_000);
});
