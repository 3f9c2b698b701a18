// Go runs from pages over the lab's real /ws edge: strangers refused by the request guard, a page from another
// machine refused unless the instructor allowed student Go (then sandboxed), one run per page and a Run budget,
// output streaming before the end, compile errors for markers, a run's events only on its page, and Stop or a
// closed page leaving no process and no run folder behind.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../core/protocol/events.js';
import type { ServerMessage } from '../../../core/protocol/wire.js';
import { createHttpServer } from '../../http/httpServer.js';
import { liveCaptureCount } from '../../observers/capture/captureObserver.js';
import { Lab } from '../../lab.js';
import { TestClient } from '../../ws/testBrowserClient.js';
import { EchoDemo } from '../echo/echoDemo.js';
import { GoRunDemo } from './goRunDemo.js';

const web = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const ECHO_SOURCE = readFileSync(web('../../../lessons/01-echo-server/main.go'), 'utf8');
const HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello from go") }\n';
/** Prints, then waits to be stopped: its output must arrive while it still runs. */
const TALK_THEN_WAIT =
  'package main\n\nimport (\n\t"fmt"\n\t"time"\n)\n\nfunc main() {\n\tfmt.Println("first line")\n\ttime.Sleep(time.Hour)\n}\n';
const BROKEN = 'package main\n\nfunc main() {\n\tx := 1\n}\n';

/** A non-loopback address of this machine: a page connecting from it is "another machine" to the guard. */
const lanAddress = Object.values(os.networkInterfaces())
  .flatMap((l) => l ?? [])
  .find((i) => i.family === 'IPv4' && !i.internal)?.address;

interface RunningLab {
  lab: Lab;
  server: http.Server;
  port: number;
  runsDir: string;
  close(): Promise<void>;
}

async function startLab(allowStudentGo: boolean): Promise<RunningLab> {
  const runsDir = mkdtempSync(join(tmpdir(), 'gorun-ws-test-'));
  const lab = new Lab({ host: '127.0.0.1', demoPortBase: 0, build: 'test-build' });
  await lab.start([new EchoDemo(), new GoRunDemo({ allowStudentGo, runnerOptions: { runsDir, samplePeriodMs: 50 } })]);
  const { server, gateway, bridge } = createHttpServer(lab, {
    webRoot: web('../../../dist/web'),
    lessonsDir: web('../../../lessons'),
  });
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
  return {
    lab,
    server,
    port: (server.address() as AddressInfo).port,
    runsDir,
    async close() {
      gateway.close();
      bridge.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await lab.stop();
      rmSync(runsDir, { recursive: true, force: true });
    },
  };
}

let plain: RunningLab;
let open: RunningLab;
beforeAll(async () => {
  [plain, open] = await Promise.all([startLab(false), startLab(true)]);
});
afterAll(async () => {
  await Promise.all([plain.close(), open.close()]);
  // Every run's watcher stopped its tcpdumps with it.
  expect(liveCaptureCount()).toBe(0);
});

async function page(lab: RunningLab, host = '127.0.0.1'): Promise<TestClient> {
  const c = await TestClient.open(`ws://${host}:${lab.port}/ws`);
  await c.hello();
  return c;
}
let nextId = 1;
async function command(c: TestClient, action: string, args: unknown = {}) {
  const id = nextId++;
  c.send({ type: 'command', id, demo: 'go', action, args });
  return c.next('reply', (m) => m.id === id);
}
const resultOf = <T>(r: Extract<ServerMessage, { type: 'reply' }>): T => {
  if (!r.ok) throw new Error(`command failed: ${JSON.stringify(r.error)}`);
  return r.result as T;
};
const codeOf = (r: Extract<ServerMessage, { type: 'reply' }>) => (r.ok ? 'ok' : r.error.code);
const eventsOf = (c: TestClient): LabEvent[] => c.messages.flatMap((m) => (m.type === 'events' ? m.events : []));
async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

type RunReply = { runId: string; demo: string; args: string[]; port?: number };
async function runAndWatch(c: TestClient, lesson: string, source: string): Promise<RunReply> {
  const run = resultOf<RunReply>(await command(c, 'run', { lesson, source }));
  c.send({ type: 'subscribe', demos: ['go', run.demo] });
  return run;
}
const ofRun = (c: TestClient, run: RunReply) => eventsOf(c).filter((e) => e.demo === run.demo);
const endOf = (c: TestClient, run: RunReply) => ofRun(c, run).find((e) => e.kind === 'gorun.end');

/** An upgrade with chosen headers; resolves with the status and the coded error the guard answered. */
function rawUpgrade(port: number, headers: Record<string, string>): Promise<{ status: number; code?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: '/ws',
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, code: (JSON.parse(body) as { error?: { code: string } }).error?.code }),
      );
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 101 });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('who may run Go', { timeout: 120_000 }, () => {
  it('strangers never reach the Go commands: wrong Host, wrong Origin, no Origin', async () => {
    const host = `127.0.0.1:${plain.port}`;
    const origin = `http://${host}`;
    expect(await rawUpgrade(plain.port, { host: `evil.example:${plain.port}`, origin })).toEqual({
      status: 403,
      code: 'E_HOST_NOT_ALLOWED',
    });
    expect(await rawUpgrade(plain.port, { host, origin: 'http://evil.example' })).toEqual({
      status: 403,
      code: 'E_ORIGIN_NOT_ALLOWED',
    });
    expect(await rawUpgrade(plain.port, { host })).toEqual({ status: 403, code: 'E_ORIGIN_REQUIRED' });
    expect((await rawUpgrade(plain.port, { host, origin })).status).toBe(101);
  });

  it.runIf(lanAddress)(
    'a page from another machine is refused with its code unless student Go is allowed',
    async () => {
      const student = await page(plain, lanAddress);
      const status = resultOf<{ mayRun: boolean; refusal?: { code: string } }>(await command(student, 'status'));
      expect([status.mayRun, status.refusal?.code]).toEqual([false, 'E_GO_STUDENT_NOT_ALLOWED']);
      expect(codeOf(await command(student, 'run', { lesson: '02-x', source: HELLO }))).toBe('E_GO_STUDENT_NOT_ALLOWED');
      expect(readdirSync(plain.runsDir)).toEqual([]);
      student.close();

      // With --allow-student-go the run happens, in the sandbox (the lab runs as root here, with bubblewrap).
      const allowed = await page(open, lanAddress);
      const st = resultOf<{ mayRun: boolean; sandboxed: boolean; sandbox: { available: boolean } }>(
        await command(allowed, 'status'),
      );
      expect(st.mayRun).toBe(st.sandbox.available);
      if (!st.sandbox.available) {
        expect(codeOf(await command(allowed, 'run', { lesson: '02-x', source: HELLO }))).toBe('E_GO_SANDBOX_REQUIRED');
      } else {
        const run = await runAndWatch(allowed, '02-x', HELLO);
        await until(() => endOf(allowed, run) !== undefined);
        const start = ofRun(allowed, run).find((e) => e.kind === 'gorun.start');
        const echoPort = open.lab.status().demos.find((d) => d.id === 'echo')!.endpoints[0]!.port;
        expect(start?.kind === 'gorun.start' && start.isolation.kind).toBe('bwrap');
        // It may dial the lab's demo ports, and only those.
        expect(start?.kind === 'gorun.start' && start.isolation.ports).toEqual([echoPort]);
        const out = ofRun(allowed, run).filter((e) => e.kind === 'gorun.output');
        expect(out.map((e) => (e.kind === 'gorun.output' ? e.text : '')).join('')).toBe('hello from go\n');
      }
      allowed.close();
    },
  );
});

describe('running Go from a page', { timeout: 240_000 }, () => {
  it('streams output before the end, one run per page, events on its page only, Stop leaves nothing behind', async () => {
    const a = await page(plain);
    const b = await page(plain);
    b.send({ type: 'subscribe', demos: ['go', 'echo'] });
    const run = await runAndWatch(a, '99-talk', TALK_THEN_WAIT);
    expect(run.port).toBeUndefined();
    await until(() => ofRun(a, run).some((e) => e.kind === 'gorun.output' && e.text.includes('first line')));
    const start = ofRun(a, run).find((e) => e.kind === 'gorun.start');
    const pid = start?.kind === 'gorun.start' ? start.pid : 0;
    // The line arrived while the program still runs, and nothing has ended.
    expect(processAlive(pid)).toBe(true);
    expect(endOf(a, run)).toBeUndefined();
    expect(readdirSync(plain.runsDir)).toHaveLength(1);

    expect(codeOf(await command(a, 'run', { lesson: '99-talk', source: TALK_THEN_WAIT }))).toBe('E_GO_RUN_BUSY');
    // Another page cannot stop it, nor sees any of it even when it asks for the run's demo id.
    expect(codeOf(await command(b, 'stop', { runId: run.runId }))).toBe('E_GO_NO_SUCH_RUN');
    b.send({ type: 'subscribe', demos: ['go', 'echo', run.demo] });

    expect(resultOf(await command(a, 'stop', { runId: run.runId }))).toEqual({ runId: run.runId, stopped: true });
    await until(() => endOf(a, run) !== undefined);
    const end = endOf(a, run);
    expect(end?.kind === 'gorun.end' && end.status).toBe('stopped');
    expect(groupAlive(pid)).toBe(false);
    expect(processAlive(pid)).toBe(false);
    expect(readdirSync(plain.runsDir)).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(eventsOf(b).filter((e) => e.demo.startsWith('gorun-'))).toEqual([]);
    a.close();
    b.close();
  });

  it('a program that does not compile gets markers-ready errors and no run', async () => {
    const a = await page(plain);
    const run = await runAndWatch(a, '99-broken', BROKEN);
    await until(() => endOf(a, run) !== undefined);
    const errors = ofRun(a, run).find((e) => e.kind === 'gorun.compileErrors');
    const list = errors?.kind === 'gorun.compileErrors' ? errors.errors : [];
    expect(list.map((e) => [e.file, e.line, e.col])).toEqual([['main.go', 4, 2]]);
    // Go 1.19 says "x declared but not used", Go 1.20 and later "declared and not used: x".
    expect(list[0]?.message).toMatch(/declared (but|and) not used/);
    const end = endOf(a, run);
    expect(end?.kind === 'gorun.end' && [end.status, end.error?.code]).toEqual(['compile-error', 'E_GO_COMPILE']);
    expect(ofRun(a, run).some((e) => e.kind === 'gorun.start')).toBe(false);
    a.close();
  });

  it('pressing Run ten times at once: one run, the rest busy or too fast', async () => {
    const a = await page(plain);
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => command(a, 'run', { lesson: '99-talk', source: TALK_THEN_WAIT })),
    );
    const codes = replies.map(codeOf);
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes).toContain('E_GO_RUN_TOO_FAST');
    expect(codes.every((c) => ['ok', 'E_GO_RUN_BUSY', 'E_GO_RUN_TOO_FAST'].includes(c))).toBe(true);
    const run = resultOf<RunReply>(replies.find((r) => r.ok)!);
    a.send({ type: 'subscribe', demos: ['go', run.demo] });
    await until(() => ofRun(a, run).some((e) => e.kind === 'gorun.start'));
    const start = ofRun(a, run).find((e) => e.kind === 'gorun.start');
    const pid = start?.kind === 'gorun.start' ? start.pid : 0;
    // A page that leaves stops its run: no process, no run folder.
    a.close();
    await until(() => !groupAlive(pid) && readdirSync(plain.runsDir).length === 0, 20_000);
  });

  it('the echo lesson runs on a port the lab picked, and its accepted connection shows on the page', async () => {
    const a = await page(plain);
    const run = await runAndWatch(a, '01-echo-server', ECHO_SOURCE);
    expect(run.args).toEqual(['-addr', `127.0.0.1:${run.port}`]);
    await until(() => ofRun(a, run).some((e) => e.kind === 'socket.listen' && e.local.port === run.port));
    const client = net.connect(run.port!, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', () => r()));
    const me = {
      local: { host: '127.0.0.1', port: client.localPort! },
      remote: { host: '127.0.0.1', port: run.port! },
    };
    client.write('ping\n');
    await new Promise((r) => client.once('data', r));
    await until(() =>
      ofRun(a, run).some(
        (e) =>
          e.kind === 'socket.open' &&
          e.side === 'server' &&
          e.remote.port === me.local.port &&
          e.local.port === me.remote.port,
      ),
    );
    // Its kernel states, polled, for exactly this connection's server end.
    await until(() =>
      ofRun(a, run).some(
        (e) =>
          e.kind === 'tcpState.change' &&
          e.socket.local === `127.0.0.1:${me.remote.port}` &&
          e.socket.remote === `127.0.0.1:${me.local.port}` &&
          e.to === 'ESTABLISHED',
      ),
    );
    client.end();
    await new Promise((r) => client.once('close', r));
    expect(resultOf(await command(a, 'stop', { runId: run.runId }))).toMatchObject({ stopped: true });
    await until(() => endOf(a, run) !== undefined);
    a.close();
  });

  it('formats with gofmt, or gives line:col errors', async () => {
    const a = await page(plain);
    expect(resultOf(await command(a, 'format', { source: 'package main\nfunc main(){}\n' }))).toEqual({
      source: 'package main\n\nfunc main() {}\n',
      errors: [],
    });
    const bad = resultOf<{ source: null; errors: { line: number }[] }>(
      await command(a, 'format', { source: 'package main\nfunc main() {\n\tx := \n}\n' }),
    );
    expect([bad.source, bad.errors[0]?.line]).toEqual([null, 4]);
    a.close();
  });

  it('checks a Go exercise with the lab as its peer: per-check results, and a lesson without one is refused', async () => {
    const a = await page(plain);
    const solution = readFileSync(web('../../../lessons/11-length-prefix-decoder/solution.go'), 'utf8');
    const report = resultOf<{ status: string; checks: { pass: boolean }[] }>(
      await command(a, 'check', { lesson: '11-length-prefix-decoder', source: solution }),
    );
    expect(report.status).toBe('checked');
    expect(report.checks.length).toBeGreaterThan(0);
    expect(report.checks.every((c) => c.pass)).toBe(true);
    expect(codeOf(await command(a, 'check', { lesson: '01-echo-server', source: ECHO_SOURCE }))).toBe(
      'E_GO_NOT_AN_EXERCISE',
    );
    expect(readdirSync(plain.runsDir)).toEqual([]);
    a.close();
  });

  it('a program dialling a demo port sees its own segments there, never another page’s', async () => {
    const a = await page(plain);
    const b = await page(plain);
    const echoPort = plain.lab.status().demos.find((d) => d.id === 'echo')!.endpoints[0]!.port;
    const dialler = `package main

import (
	"fmt"
	"net"
	"time"
)

func main() {
	conn, err := net.Dial("tcp", "127.0.0.1:${echoPort}")
	if err != nil {
		panic(err)
	}
	fmt.Println("dialled", conn.LocalAddr())
	buf := make([]byte, 64)
	for i := 0; i < 100; i++ {
		conn.Write([]byte("from go\\n"))
		conn.Read(buf)
		time.Sleep(50 * time.Millisecond)
	}
}
`;
    const run = await runAndWatch(a, '99-dial', dialler);
    await until(() => ofRun(a, run).some((e) => e.kind === 'packet.captureStatus' && e.status === 'capturing'));
    const opened = resultOf<{ client: string; localPort: number }>(
      await (async () => {
        const id = nextId++;
        b.send({ type: 'command', id, demo: 'echo', action: 'connect', args: {} });
        return b.next('reply', (m) => m.id === id);
      })(),
    );
    for (let i = 0; i < 5; i++) {
      const id = nextId++;
      b.send({
        type: 'command',
        id,
        demo: 'echo',
        action: 'send',
        args: { client: opened.client, text: 'secret of B' },
      });
      await b.next('reply', (m) => m.id === id);
      await new Promise((r) => setTimeout(r, 50));
    }
    const goData = () =>
      ofRun(a, run).filter((e) => e.kind === 'packet.segment' && e.len > 0 && e.to === `127.0.0.1:${echoPort}`);
    await until(() => goData().length >= 3);
    const bEnd = `127.0.0.1:${opened.localPort}`;
    expect(ofRun(a, run).filter((e) => e.kind === 'packet.segment' && (e.from === bEnd || e.to === bEnd))).toEqual([]);
    expect(
      ofRun(a, run).filter(
        (e) => e.kind === 'tcpState.inferred' && (e.socket.local === bEnd || e.socket.remote === bEnd),
      ),
    ).toEqual([]);
    const dial = ofRun(a, run).find((e) => e.kind === 'socket.open');
    expect(dial?.kind === 'socket.open' && [dial.side, dial.remote.port]).toEqual(['client', echoPort]);
    expect(resultOf(await command(a, 'stop', { runId: run.runId }))).toMatchObject({ stopped: true });
    await until(() => endOf(a, run) !== undefined);
    a.close();
    b.close();
  });
});
