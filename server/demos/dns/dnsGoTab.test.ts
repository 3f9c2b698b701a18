// Lesson 28's main.go from the Go tab (the `go` demo's run over the real /ws edge): the lab passes it the DNS
// server's address, and a sandboxed run (a classroom student's, when the instructor allows Go) may send it UDP, so
// every lookup ends as the lesson says: an answer, NXDOMAIN, SERVFAIL, a timeout, and TC then TCP.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../core/protocol/events.js';
import { createHttpServer } from '../../http/httpServer.js';
import { Lab } from '../../lab.js';
import { TestClient } from '../../ws/testBrowserClient.js';
import { GoRunDemo } from '../goRun/goRunDemo.js';
import { DnsDemo } from './dnsDemo.js';
import { parseGoLookups } from './goLookupOutput.js';

const web = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const SOURCE = readFileSync(web('../../../lessons/28-dns/main.go'), 'utf8');
/** A non-loopback address of this machine: a page from it is a classroom student's (its runs are sandboxed). */
const lanAddress = Object.values(os.networkInterfaces())
  .flatMap((l) => l ?? [])
  .find((i) => i.family === 'IPv4' && !i.internal)?.address;

let lab: Lab;
let server: http.Server;
let close: () => Promise<void>;
const runsDir = mkdtempSync(join(tmpdir(), 'dns-gotab-test-'));

beforeAll(async () => {
  lab = new Lab({ host: '127.0.0.1', demoPortBase: 0, build: 'test-build' });
  await lab.start([
    new DnsDemo({ capture: false }),
    new GoRunDemo({ allowStudentGo: true, runnerOptions: { runsDir, samplePeriodMs: 200 } }),
  ]);
  const made = createHttpServer(lab, { webRoot: web('../../../dist/web'), lessonsDir: web('../../../lessons') });
  server = made.server;
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
  close = async () => {
    made.gateway.close();
    made.bridge.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await lab.stop();
    rmSync(runsDir, { recursive: true, force: true });
  };
});
afterAll(() => close());

async function runMainGo(host: string): Promise<{ args: string[]; output: string; isolation: string }> {
  const port = (server.address() as AddressInfo).port;
  const c = await TestClient.open(`ws://${host}:${port}/ws`);
  await c.hello();
  try {
    c.send({ type: 'command', id: 1, demo: 'go', action: 'run', args: { lesson: '28-dns', source: SOURCE } });
    const reply = await c.next('reply', (m) => m.id === 1);
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const run = reply.result as { demo: string; args: string[] };
    c.send({ type: 'subscribe', demos: ['go', run.demo] });
    const events = (): LabEvent[] =>
      c.messages.flatMap((m) => (m.type === 'events' ? m.events : [])).filter((e) => e.demo === run.demo);
    const end = Date.now() + 150_000;
    while (!events().some((e) => e.kind === 'gorun.end')) {
      if (Date.now() > end) throw new Error('the run did not end');
      await new Promise((r) => setTimeout(r, 50));
    }
    const output = events()
      .map((e) => (e.kind === 'gorun.output' ? e.text : ''))
      .join('');
    const start = events().find((e) => e.kind === 'gorun.start');
    return { args: run.args, output, isolation: start?.kind === 'gorun.start' ? start.isolation.kind : 'none' };
  } finally {
    c.close();
  }
}

function expectLessonOutcomes(output: string): void {
  const byName = Object.fromEntries(parseGoLookups(output).map((l) => [l.name, l]));
  expect(byName['shop.lab.test']).toMatchObject({ ok: true, result: '[10.0.0.7 fd00::7]' });
  expect(byName['nothere.lab.test']).toMatchObject({ isNotFound: true, err: 'no such host' });
  expect(byName['broken.lab.test']).toMatchObject({ isTemporary: true, err: 'server misbehaving' });
  expect(byName['silent.lab.test']).toMatchObject({ isTimeout: true });
  expect(byName['big.lab.test']?.ok).toBe(true);
  expect(output).toMatch(/dial tcp \S+ \(for big\.lab\.test\.\)/);
}

describe("lesson 28's main.go from the Go tab", { timeout: 200_000 }, () => {
  it("is given the lab's DNS server and meets every error for real", async () => {
    const r = await runMainGo('127.0.0.1');
    const dns = lab.status().demos.find((d) => d.id === 'dns')!.endpoints[0]!;
    expect(r.args).toEqual(['-server', `127.0.0.1:${dns.port}`]);
    expectLessonOutcomes(r.output);
  });

  it.runIf(lanAddress)(
    'sandboxed (a classroom student allowed Go) it may still send its queries over UDP',
    async () => {
      const r = await runMainGo(lanAddress!);
      if (r.isolation !== 'bwrap') return; // no sandbox on this machine: the first run covered the unsandboxed path
      expectLessonOutcomes(r.output);
    },
  );
});
