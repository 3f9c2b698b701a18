// The helper needs no privilege, and a SO_REUSEPORT group is one user's: run as the unprivileged user nobody
// (setpriv) it shares a port between its own listeners, but cannot join a group a root-owned listener holds.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHelperLine, portOf } from './helperLines.js';
import { buildReuseHelper } from './reuseHelperBuild.js';

const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const asRoot = process.getuid?.() === 0;
let dir: string;
let helper: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reuse-users-'));
  chmodSync(dir, 0o755); // nobody must reach the copy of the binary
  helper = join(dir, 'helper');
  copyFileSync(await buildReuseHelper(), helper);
  chmodSync(helper, 0o755);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the helper (as nobody when the test runs as root) and returns its parsed lines. */
function runHelper(args: string[], input = ''): ReturnType<typeof parseHelperLine>[] {
  const [command, argv] = asRoot ? ['setpriv', [...NOBODY, helper, ...args]] : [helper, args];
  const r = spawnSync(command, argv, { input, encoding: 'utf8', timeout: 20_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').map(parseHelperLine);
}

describe('port reuse as an unprivileged user', () => {
  it("shares a port between two of the user's own SO_REUSEPORT listeners", () => {
    const [first, second] = runHelper(['-mode', 'twice', '-reuseport=true']);
    expect(first).toMatchObject({ event: 'first', ok: true });
    expect(second).toMatchObject({ event: 'second', ok: true });
    expect(second?.event === 'second' && second.addr).toBe(first?.event === 'first' && first.addr);
  });

  it("cannot join another user's SO_REUSEPORT group: EADDRINUSE (the test runs as root to have two users)", async () => {
    expect(asRoot, 'this check needs two users: run the tests as root, as .ci/run does').toBe(true);
    const owner = spawn(helper, ['-mode', 'group', '-id', '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const up = await new Promise<string>((resolve) => owner.stdout.once('data', (b: Buffer) => resolve(String(b))));
      const line = parseHelperLine(up.split('\n')[0]!);
      const port = portOf(line?.event === 'listen' ? line.addr : undefined);
      expect(port).not.toBeNull();
      const [joined] = runHelper(['-mode', 'group', '-id', '1', '-port', String(port)], 'close\n');
      expect(joined).toMatchObject({ event: 'listen', ok: false, errno: 'EADDRINUSE' });
    } finally {
      owner.stdin.end('close\n');
      await new Promise((resolve) => owner.once('close', resolve));
    }
  });
});
