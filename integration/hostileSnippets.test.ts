// Hostile snippets against a real lab server, from Node: each ends with a clear message, and meanwhile another
// session's echo keeps working and the server's bridged sockets are given back. (A loop that never yields and an
// allocation bomb need a worker to be stopped from outside: e2e/snippets-hostile.spec.ts runs them in Chromium.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BRIDGE_PROTOCOL_VERSION, type BridgeServerMessage } from '@core/protocol/bridge';
import { labOrigin, startTestLab, type TestLabServer } from '../server/bridge/testLabServer';
import { runHeadless, type HeadlessOptions, type HeadlessResult } from '../web/src/snippets/headlessRun';

let lab: TestLabServer;
beforeAll(async () => {
  lab = await startTestLab();
});
afterAll(async () => {
  await lab.stop();
});

async function run(source: string, options: Partial<HeadlessOptions> = {}): Promise<HeadlessResult> {
  const bridge = await lab.openBridge();
  try {
    return await runHeadless(
      { mode: 'run', file: 'main.ts', source },
      { bridge, demos: lab.lab.status().demos, timeLimitMs: 10_000, ...options },
    );
  } finally {
    bridge.close();
  }
}

const ECHO = `import { fmt, lab, net } from 'gonet';
export async function main() {
  const [c, err] = await net.dial('tcp', lab.addr('echo'));
  if (err !== null) { fmt.println('dial failed', err.message); return; }
  await c.write('still here\\n');
  const buf = new Uint8Array(64);
  const [n] = await c.read(buf);
  fmt.print(new TextDecoder().decode(buf.subarray(0, n)));
  c.close();
}`;

/** Another student's session, while (or after) the hostile one runs. */
async function expectOtherSessionWorks(): Promise<void> {
  const r = await run(ECHO);
  expect(r.output).toBe('still here\n');
}

/** Waits until the lab holds no more bridged sockets than before the hostile run (earlier ones may close too). */
async function socketsBackTo(n: number): Promise<void> {
  for (let i = 0; i < 200 && lab.bridge.counters.sockets > n; i++) await new Promise((r) => setTimeout(r, 20));
  expect(lab.bridge.counters.sockets).toBeLessThanOrEqual(n);
}

describe('hostile snippets', () => {
  it('a million goroutines: stopped at the limit with E_SNIPPET_TOO_MANY_GOROUTINES', async () => {
    const r = await run(`import { go, time } from 'gonet';
export async function main() {
  for (let i = 0; i < 1_000_000; i++) go(async () => { await time.sleep(60_000); });
}`);
    expect(r.limit).toBe('E_SNIPPET_TOO_MANY_GOROUTINES');
    expect(r.outcome.report).toMatch(/^fatal error: too many goroutines: 100000 alive, the limit is 100000/);
    await expectOtherSessionWorks();
  });

  it('dials to ports the session does not own: each refused with a stable code and the allowed ports', async () => {
    const other = await lab.openBridge();
    const theirs = await new Promise<number>((resolve, reject) =>
      other.listen('127.0.0.1:0', (o) => (o.ok ? resolve(o.value.local.port) : reject(new Error(o.error.code)))),
    );
    const r = await run(`import { fmt, net } from 'gonet';
export async function main() {
  for (const port of [${theirs}, ${lab.port}, 22, 1]) {
    const [, err] = await net.dial('tcp', '127.0.0.1:' + port);
    fmt.println(err?.message);
  }
}`);
    other.close();
    const lines = r.output.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const l of lines)
      expect(l).toMatch(
        /E_BRIDGE_DIAL_NOT_ALLOWED: .*demo endpoints: (127\.0\.0\.1:\d+(, )?)+; this snippet's listeners: none/,
      );
  });

  it('a flood of dials: the excess is refused (rate or socket quota), the program ends, others are unaffected', async () => {
    const before = lab.bridge.counters.sockets;
    const flood = run(
      `import { fmt, go, lab, net, WaitGroup } from 'gonet';
export async function main() {
  const wg = new WaitGroup();
  const codes = new Map<string, number>();
  for (let i = 0; i < 5000; i++) {
    wg.add(1);
    go(async () => {
      const [c, err] = await net.dial('tcp', lab.addr('echo'));
      const code = err === null ? 'ok' : (/E_[A-Z_]+/.exec(err.message)?.[0] ?? 'other');
      codes.set(code, (codes.get(code) ?? 0) + 1);
      wg.done();
      c?.close();
    });
  }
  await wg.wait();
  fmt.println(JSON.stringify(Object.fromEntries(codes)));
}`,
      { timeLimitMs: 30_000 },
    );
    await expectOtherSessionWorks();
    const r = await flood;
    expect(r.outcome.status).toBe('ok');
    const codes = JSON.parse(r.output) as Record<string, number>;
    expect(Object.values(codes).reduce((a, b) => a + b, 0)).toBe(5000);
    expect(codes.ok).toBeGreaterThan(0);
    expect((codes.E_BRIDGE_RATE_LIMITED ?? 0) + (codes.E_BRIDGE_TOO_MANY_SOCKETS ?? 0)).toBeGreaterThan(0);
    await socketsBackTo(before);
  }, 60_000);

  it('a raw flood of bridge messages from a client that skips the library is cut off by the server', async () => {
    const ws = new WebSocket(lab.bridgeUrl, { origin: labOrigin(lab.bridgeUrl) });
    const messages: BridgeServerMessage[] = [];
    ws.on('message', (d, binary) => {
      if (!binary) messages.push(JSON.parse(d.toString()) as BridgeServerMessage);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ type: 'hello', protocol: BRIDGE_PROTOCOL_VERSION }));
    const junk = new Uint8Array([1, 0, 0, 0, 9, 1, 2, 3]);
    for (let i = 0; i < 20_000 && ws.readyState === WebSocket.OPEN; i++) ws.send(junk);
    expect(await closed).toBe(1008);
    expect(messages.at(-1)).toMatchObject({ type: 'fatal', error: { code: 'E_BRIDGE_NO_SUCH_SOCKET' } });
    await expectOtherSessionWorks();
  });

  it('10 MB to a peer that never reads: the writer blocks, the server holds no more than a window, the time limit ends it', async () => {
    const before = lab.bridge.counters.sockets;
    const rss0 = process.memoryUsage().rss;
    const hog = run(
      `import { fmt, go, net } from 'gonet';
export async function main() {
  const [ln] = await net.listen('tcp', '127.0.0.1:0');
  go(async () => { await ln!.accept(); }); // accepts, never reads
  const [c] = await net.dial('tcp', ln!.addr().string());
  fmt.println('writing');
  const [n, err] = await c!.write(new Uint8Array(10 * 1024 * 1024));
  fmt.println('never reached', n, err);
}`,
      { timeLimitMs: 2000 },
    );
    await new Promise((r) => setTimeout(r, 800));
    // While it is blocked, the lab serves others, and has not buffered the 10 MB.
    await expectOtherSessionWorks();
    const r = await hog;
    expect(r.limit).toBe('E_SNIPPET_TIME_LIMIT');
    expect(r.output).toBe('writing\n');
    expect(process.memoryUsage().rss - rss0).toBeLessThan(64 * 1024 * 1024);
    await socketsBackTo(before);
  });
});
