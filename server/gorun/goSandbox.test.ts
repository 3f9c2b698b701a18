// The Go run sandbox, for real (Go toolchain, bubblewrap and nftables, as root): escapes that must fail (files of
// the machine, the lab and the student's home; loopback ports the lab did not allow), what must still work (the echo
// lesson serving the lab's client on its -addr, Stop ending everything, even a process that left the group), and
// the fallback when bwrap is missing. Plus the pure argument and rule builders.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { GoRunEvent } from '../../core/protocol/events/goRun.js';
import { GoRunner } from './goRunner.js';
import { bwrapArgs, nftRuleset, runTool, sandboxedExit } from './goSandbox.js';

const runsDir = mkdtempSync(join(tmpdir(), 'gosandbox-test-'));
let owner = 0;

afterAll(() => {
  const left = readdirSync(runsDir);
  rmSync(runsDir, { recursive: true, force: true });
  expect(left).toEqual([]);
});

async function runGo(
  runner: GoRunner,
  source: string,
  opts: {
    args?: string[];
    port?: number;
    dialPorts?: number[];
    onEvent?: (e: GoRunEvent, stop: () => void) => void;
  } = {},
) {
  const events: GoRunEvent[] = [];
  const run = runner.start({
    owner: `s${++owner}`,
    source,
    args: opts.args,
    port: opts.port,
    dialPorts: opts.dialPorts,
    emit: (e) => (events.push(e), opts.onEvent?.(e, () => run.stop())),
  });
  const result = await run.done;
  const output = events.flatMap((e) => (e.kind === 'gorun.output' && e.stream === 'stdout' ? [e.text] : [])).join('');
  const start = events.find((e): e is Extract<GoRunEvent, { kind: 'gorun.start' }> => e.kind === 'gorun.start');
  const notices = events.flatMap((e) => (e.kind === 'gorun.notice' ? [e.error] : []));
  return { result, output, start, notices, events };
}

const program = (body: string, imports: string[]) =>
  `package main\n\nimport (\n${imports.map((i) => `\t"${i}"\n`).join('')})\n\n${body}\n`;

function listen(): Promise<{ server: Server; port: number; accepted: () => number }> {
  return new Promise((resolve) => {
    let n = 0;
    const server = createServer((s) => (n++, s.end()));
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as { port: number }).port, accepted: () => n }),
    );
  });
}

/** Live (not zombie) processes owned by a uid, from /proc. */
function processesOf(uid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const u = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      const zombie = /^State:\s+Z/m.test(status);
      if (Number(u) === uid && !zombie) pids.push(Number(name));
    } catch {
      /* ended meanwhile */
    }
  }
  return pids;
}

describe('the sandbox builders', () => {
  it('binds only the run folder, with fresh /proc, /dev and /tmp, no network namespace and no new session', () => {
    const args = bwrapArgs('/tmp/runs/run-1');
    expect(args.filter((a) => a.startsWith('--') && a.includes('bind'))).toEqual(['--bind']);
    expect(args.join(' ')).toContain('--bind /tmp/runs/run-1 /tmp/runs/run-1');
    expect(args.join(' ')).toContain('--proc /proc --dev /dev --tmpfs /tmp');
    expect(args).toEqual(expect.arrayContaining(['--unshare-user', '--unshare-pid', '--die-with-parent']));
    expect(args).not.toContain('--unshare-net');
    expect(args).not.toContain('--new-session');
  });

  it('lets the run uid open TCP only to allowed loopback ports, and rejects the rest', () => {
    const rules = nftRuleset(1234, [8080, 0, 70000, 9000, 8080]);
    expect(rules).toContain('meta skuid 1234 ip daddr 127.0.0.0/8 tcp dport { 8080, 9000 } ct state new accept');
    expect(rules).toContain('meta skuid 1234 ip6 daddr ::1 tcp dport { 8080, 9000 } ct state new accept');
    expect(rules.trimEnd().split('\n').at(-3)).toBe('    meta skuid 1234 reject');
    expect(nftRuleset(1234, [])).not.toContain('dport');
  });

  it('allows UDP only to the ports named for it (the lab DNS server of lesson 28)', () => {
    const rules = nftRuleset(1234, [8080], [5353, 0]);
    expect(rules).toContain('meta skuid 1234 ip daddr 127.0.0.0/8 udp dport { 5353 } accept');
    expect(rules).toContain('meta skuid 1234 ip6 daddr ::1 udp dport { 5353 } accept');
    expect(rules.trimEnd().split('\n').at(-3)).toBe('    meta skuid 1234 reject');
    expect(nftRuleset(1234, [8080])).not.toContain('udp');
  });

  it("reads bwrap's 128 + n exit as the signal n", () => {
    expect(sandboxedExit(137, null)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(sandboxedExit(2, null)).toEqual({ code: 2, signal: null });
  });
});

describe('the Go run sandbox', { timeout: 240_000 }, () => {
  const allowed = listen();
  const runner = (async () => new GoRunner({ runsDir, samplePeriodMs: 50, reachablePorts: () => [] }))();

  it('is available on this machine (root, bubblewrap and nftables: `apt install bubblewrap nftables`)', async () => {
    expect(process.getuid?.(), 'the sandbox tests must run as root').toBe(0);
    expect(await (await runner).sandbox()).toEqual({ ok: true });
  });

  it("cannot read /etc/shadow, /etc/passwd, the lab's files or the student's home, nor write outside its folder", async () => {
    const labPackage = fileURLToPath(new URL('../../package.json', import.meta.url));
    const src = program(
      'func main() {\n\tfor _, p := range os.Args[1:] {\n\t\t_, err := os.ReadFile(p)\n\t\t_, derr := os.ReadDir(p)\n\t\tfmt.Println(p, err != nil && derr != nil)\n\t}\n\tfmt.Println("write", os.WriteFile(os.Args[3]+".escape", []byte("x"), 0o644) != nil)\n\tfmt.Println("own", os.WriteFile("mine.txt", []byte("x"), 0o644) == nil)\n}',
      ['fmt', 'os'],
    );
    const paths = ['/etc/shadow', '/etc/passwd', labPackage, homedir(), '/root'];
    const { output, start, result } = await runGo(await runner, src, { args: paths });
    expect(start!.isolation).toMatchObject({ kind: 'bwrap', user: 'nobody' });
    expect(result.status).toBe('exited');
    expect(output).toBe(`${paths.map((p) => `${p} true`).join('\n')}\nwrite true\nown true\n`);
  });

  it('cannot dial a loopback port the lab did not allow, and can dial one it did', async () => {
    const open = await listen();
    const ok = await allowed;
    const r = new GoRunner({ runsDir, reachablePorts: () => [ok.port] });
    const src = program(
      'func main() {\n\tfor _, a := range os.Args[1:] {\n\t\tc, err := net.DialTimeout("tcp", a, 5*time.Second)\n\t\tif err == nil {\n\t\t\tc.Close()\n\t\t}\n\t\tfmt.Println(a, err == nil)\n\t}\n}',
      ['fmt', 'net', 'os', 'time'],
    );
    const a = `127.0.0.1:${open.port}`;
    const b = `127.0.0.1:${ok.port}`;
    const { output, start } = await runGo(r, src, { args: [a, b] });
    open.server.close();
    expect(start!.isolation.ports).toEqual([ok.port]);
    expect(output).toBe(`${a} false\n${b} true\n`);
    expect(open.accepted()).toBe(0);
    expect(ok.accepted()).toBe(1);
    // The run's rule went with it.
    expect((await runTool('nft', ['list', 'table', 'inet', `gonetlab_run_${start!.isolation.uid}`])).code).not.toBe(0);
    ok.server.close();
  });

  it("may dial the ports its own request names (an exercise checker's server), and no other run may", async () => {
    const checker = await listen();
    const src = program(
      'func main() {\n\tc, err := net.DialTimeout("tcp", os.Args[1], 5*time.Second)\n\tif err == nil {\n\t\tc.Close()\n\t}\n\tfmt.Println(err == nil)\n}',
      ['fmt', 'net', 'os', 'time'],
    );
    const addr = `127.0.0.1:${checker.port}`;
    const named = await runGo(await runner, src, { args: [addr], dialPorts: [checker.port] });
    expect(named.start!.isolation).toMatchObject({ kind: 'bwrap', ports: [checker.port] });
    expect(named.output).toBe('true\n');
    const other = await runGo(await runner, src, { args: [addr] });
    expect(other.output).toBe('false\n');
    expect(checker.accepted()).toBe(1);
    checker.server.close();
  });

  it("the echo lesson serves the lab's client on the -addr the lab passed in", async () => {
    const free = await listen();
    const port = free.port;
    await new Promise((r) => free.server.close(r));
    const source = readFileSync(new URL('../../lessons/01-echo-server/main.go', import.meta.url), 'utf8');
    let echoed = '';
    const { result } = await runGo(await runner, source, {
      args: ['-addr', `127.0.0.1:${port}`],
      port,
      onEvent: (e, stop) => {
        if (e.kind !== 'gorun.output' || !e.text.includes('listening')) return;
        const s = connect(port, '127.0.0.1', () => s.write('hello sandbox\n'));
        s.on('data', (b) => {
          echoed += b.toString();
          if (echoed.includes('\n')) {
            s.destroy();
            stop();
          }
        });
        s.on('error', () => stop());
      },
    });
    expect(echoed).toBe('hello sandbox\n');
    expect(result.status).toBe('stopped');
  });

  it('Stop ends every process of the run, even one that started its own session', async () => {
    const src = program(
      'func main() {\n\tif len(os.Args) > 1 {\n\t\ttime.Sleep(time.Hour)\n\t}\n\tfor i := 0; i < 3; i++ {\n\t\tc := exec.Command("/proc/self/exe", "child")\n\t\tc.SysProcAttr = &syscall.SysProcAttr{Setsid: i == 0}\n\t\tif err := c.Start(); err != nil {\n\t\t\tfmt.Println(err)\n\t\t}\n\t}\n\tfmt.Println("started")\n\ttime.Sleep(time.Hour)\n}',
      ['fmt', 'os', 'os/exec', 'syscall', 'time'],
    );
    let uid = 0;
    let counted = 0;
    const { result, output } = await runGo(await runner, src, {
      onEvent: (e, stop) => {
        if (e.kind === 'gorun.start') uid = e.isolation.uid!;
        if (e.kind === 'gorun.output' && e.text.includes('started')) {
          counted = processesOf(uid).length;
          stop();
        }
      },
    });
    expect(output).toBe('started\n');
    expect(result.status).toBe('stopped');
    expect(counted).toBeGreaterThanOrEqual(5); // bwrap, its init, the program and its three children
    expect(processesOf(uid)).toEqual([]);
  });

  it('without bwrap, runs as before and says once why it is not sandboxed', async () => {
    const r = new GoRunner({ runsDir, bwrap: '/nonexistent/bwrap' });
    const src = program(
      'func main() {\n\t_, err := os.ReadFile("/etc/shadow")\n\tfmt.Println("shadow", err != nil)\n}',
      ['fmt', 'os'],
    );
    const first = await runGo(r, src);
    expect(first.start!.isolation).toEqual({ kind: 'rlimits', user: 'nobody' });
    expect(first.output).toBe('shadow true\n');
    expect(first.notices.map((n) => n.code)).toEqual(['E_GO_NOT_ISOLATED']);
    expect(first.notices[0]!.detail).toContain('/nonexistent/bwrap');
    const second = await runGo(r, src);
    expect(second.notices).toEqual([]);
  });
});
