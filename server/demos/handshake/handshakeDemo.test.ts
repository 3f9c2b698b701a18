// The handshake demo's scenarios on real loopback sockets, checked against the capture, the kernel table and tcpdump's own reading.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../events/eventBus.js';
import type { LabEvent, EventOfKind } from '../../../core/protocol/events.js';
import { findExecutable } from '../../observers/capture/captureObserver.js';
import { parseTcpdumpText } from '../../observers/capture/tcpdumpText.js';
import { HandshakeDemo } from './handshakeDemo.js';

const running: HandshakeDemo[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop()));
});

async function startDemo(
  options: ConstructorParameters<typeof HandshakeDemo>[0] = {},
): Promise<{ demo: HandshakeDemo; events: LabEvent[] }> {
  const bus = new EventBus();
  const events: LabEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const demo = new HandshakeDemo(options);
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: bus.forDemo('handshake') });
  running.push(demo);
  return { demo, events };
}

function ofKind<K extends LabEvent['kind']>(events: LabEvent[], kind: K): EventOfKind<K>[] {
  return events.filter((e): e is EventOfKind<K> => e.kind === kind);
}

function runEnd(events: LabEvent[], run: number): EventOfKind<'handshake.runEnd'> {
  return ofKind(events, 'handshake.runEnd').find((e) => e.run === run)!;
}

function segmentsOf(events: LabEvent[], client: string): EventOfKind<'packet.segment'>[] {
  return ofKind(events, 'packet.segment').filter((s) => s.client === client);
}

const canCapture = findExecutable('tcpdump') !== null && process.getuid?.() === 0;

describe.runIf(canCapture)('HandshakeDemo with capture', () => {
  it('client closes first: SYN, SYN-ACK, ACK with matching numbers, a 3- or 4-segment close, TIME_WAIT on the client', async () => {
    const { demo, events } = await startDemo();
    const { run, clients } = await demo.run({ scenario: 'client-closes', stepDelayMs: 50, clients: 1 });
    const segs = segmentsOf(events, clients[0]!);
    expect(segs.slice(0, 3).map((s) => [s.role, s.flags.join('+')])).toEqual([
      ['client', 'SYN'],
      ['server', 'SYN+ACK'],
      ['client', 'ACK'],
    ]);
    expect(segs[1]!.ackNum).toBe((segs[0]!.seqNum + 1) >>> 0);
    expect(segs[2]!.ackNum).toBe((segs[1]!.seqNum + 1) >>> 0);
    const end = runEnd(events, run);
    expect(end.summary.handshakeNumbersMatch).toBe(true);
    expect([3, 4]).toContain(end.summary.teardownSegments[0]);
    expect(end.summary.timeWait.map((t) => t.socket)).toEqual(clients);
    expect(end.summary.timeWait[0]!.timerMs).toBeGreaterThan(50_000);
    // The first FIN is the client's.
    expect(segs.find((s) => s.flags.includes('FIN'))!.role).toBe('client');
    // Each step of the script is narrated, in order.
    const calls = ofKind(events, 'handshake.step')
      .filter((s) => s.side === 'client')
      .map((s) => s.call);
    expect(calls).toEqual(['dial', 'connected', 'write', 'read', 'close']);
  });

  it('server closes first: the server side is left in TIME_WAIT and the client passed through CLOSE_WAIT', async () => {
    const { demo, events } = await startDemo();
    const { run, clients } = await demo.run({ scenario: 'server-closes', stepDelayMs: 100, clients: 1 });
    const server = ofKind(events, 'handshake.runStart')[0]!.server;
    expect(runEnd(events, run).summary.timeWait.map((t) => t.socket)).toEqual([server]);
    expect(segmentsOf(events, clients[0]!).find((s) => s.flags.includes('FIN'))!.role).toBe('server');
    const polled = ofKind(events, 'tcpState.change').filter((c) => c.socket.local === clients[0]);
    expect(polled.map((c) => c.to)).toContain('CLOSE_WAIT');
  });

  it('a connection to a port nobody listens on is answered by RST-ACK acknowledging the SYN', async () => {
    const { demo, events } = await startDemo();
    const { run, clients } = await demo.run({ scenario: 'refused', stepDelayMs: 0, clients: 1 });
    const segs = segmentsOf(events, clients[0]!);
    expect(segs.map((s) => s.flags.join('+'))).toEqual(['SYN', 'RST+ACK']);
    expect(segs[1]!.ackNum).toBe((segs[0]!.seqNum + 1) >>> 0);
    expect(runEnd(events, run).summary.resets).toBe(1);
    const error = ofKind(events, 'handshake.step').find((s) => s.call === 'error');
    expect(error?.error?.detail).toMatch(/ECONNREFUSED/);
  });

  it("half-close: after the client's FIN the server still sends data, which the client acknowledges from FIN_WAIT2", async () => {
    const { demo, events } = await startDemo();
    const { clients } = await demo.run({ scenario: 'half-close', stepDelayMs: 60, clients: 1 });
    const segs = segmentsOf(events, clients[0]!);
    const clientFin = segs.findIndex((s) => s.role === 'client' && s.flags.includes('FIN'));
    const serverFin = segs.findIndex((s) => s.role === 'server' && s.flags.includes('FIN'));
    expect(clientFin).toBeGreaterThan(0);
    expect(serverFin).toBeGreaterThan(clientFin);
    const dataAfter = segs.slice(clientFin + 1, serverFin + 1).filter((s) => s.role === 'server' && s.len > 0);
    expect(dataAfter.length).toBeGreaterThanOrEqual(3);
    const polledClient = ofKind(events, 'tcpState.change')
      .filter((c) => c.socket.local === clients[0])
      .map((c) => c.to);
    expect(polledClient).toContain('FIN_WAIT2');
  });

  it('a server that never closes piles up CLOSE_WAIT sockets, and closing them clears the pile', async () => {
    const { demo, events } = await startDemo();
    const { run, clients } = await demo.run({ scenario: 'close-wait-pileup', stepDelayMs: 20, clients: 4 });
    expect(runEnd(events, run).summary.closeWait).toBe(4);
    expect(demo.status().leaked).toBe(4);
    expect(demo.closeLeaked()).toBe(4);
    const server = ofKind(events, 'handshake.runStart')[0]!.server;
    const left = async () => {
      const end = Date.now() + 3000;
      for (;;) {
        const states = new Map<string, string>();
        for (const c of ofKind(events, 'tcpState.change'))
          if (c.socket.local === server) states.set(c.socket.remote, c.to);
        if (clients.every((c) => states.get(c) === 'CLOSED') || Date.now() > end)
          return clients.map((c) => states.get(c));
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    expect(await left()).toEqual(clients.map(() => 'CLOSED'));
  });

  it('time-wait: each connection the client closed first leaves its own TIME_WAIT socket', async () => {
    const { demo, events } = await startDemo();
    const { run, clients } = await demo.run({ scenario: 'time-wait', stepDelayMs: 20, clients: 1 });
    expect(clients).toHaveLength(3);
    expect(
      runEnd(events, run)
        .summary.timeWait.map((t) => t.socket)
        .sort(),
    ).toEqual([...clients].sort());
  });

  it('refuses a second run while one is going', async () => {
    const { demo } = await startDemo();
    const first = demo.run({ scenario: 'half-close', stepDelayMs: 50, clients: 1 });
    await expect(demo.run({ scenario: 'client-closes', stepDelayMs: 0, clients: 1 })).rejects.toMatchObject({
      code: 'E_ACTION_FAILED',
    });
    await first;
  });

  it.each(['client-closes', 'half-close'] as const)(
    'agrees with an independent tcpdump text capture of the same port (%s)',
    async (scenario) => {
      const { demo, events } = await startDemo();
      const port = demo.status().ports.listen;
      const text: string[] = [];
      const td = spawn('tcpdump', ['-n', '-tt', '-S', '-l', '--immediate-mode', '-i', 'lo', `tcp port ${port}`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const ready = new Promise<void>((resolve) =>
        td.stderr.on('data', (d: Buffer) => /listening on/.test(d.toString()) && resolve()),
      );
      td.stdout.on('data', (d: Buffer) => text.push(d.toString()));
      try {
        await ready;
        const { clients } = await demo.run({ scenario, stepDelayMs: 30, clients: 1 });
        const lab = segmentsOf(events, clients[0]!);
        // Wait until tcpdump has printed as many lines as the lab decoded.
        for (let i = 0; i < 100 && parseTcpdumpText(text.join('')).length < lab.length; i++)
          await new Promise((r) => setTimeout(r, 20));
        const theirs = parseTcpdumpText(text.join('')).filter((s) => s.from === clients[0] || s.to === clients[0]);
        expect(theirs.length).toBe(lab.length);
        expect(lab.length).toBeGreaterThanOrEqual(8);
        lab.forEach((s, i) => {
          const t = theirs[i]!;
          const where = `segment ${i}`;
          expect([s.from, s.to, s.flags.filter((f) => f !== 'ECE' && f !== 'CWR')], where).toEqual([
            t.from,
            t.to,
            t.flags,
          ]);
          expect(s.len, where).toBe(t.length);
          if (t.seq !== null) expect(s.seqNum, where).toBe(t.seq);
          if (t.ack !== null) expect(s.ackNum, where).toBe(t.ack);
          // tcpdump prints seq for SYN, FIN, RST and data: then the lab has it too.
          if (s.len > 0 || s.flags.some((f) => f === 'SYN' || f === 'FIN' || f === 'RST'))
            expect(t.seq, where).not.toBeNull();
          expect(Math.abs(s.tsSec + s.tsNsec / 1e9 - t.time), where).toBeLessThan(0.001);
        });
      } finally {
        td.kill('SIGTERM');
      }
    },
  );
});

describe('HandshakeDemo without capture', () => {
  it('says why capture is off and how to enable it, and still reports polled states', async () => {
    const { demo, events } = await startDemo({ capture: { env: { PATH: '/nonexistent' } } });
    expect(demo.status().capture).toMatchObject({ status: 'unavailable', error: { code: 'E_CAPTURE_NO_TCPDUMP' } });
    const { run, clients } = await demo.run({ scenario: 'client-closes', stepDelayMs: 30, clients: 1 });
    const start = ofKind(events, 'handshake.runStart')[0]!;
    expect(start.capture.status).toBe('unavailable');
    expect(start.capture.enableCommand).toBeTruthy();
    expect(ofKind(events, 'packet.segment')).toEqual([]);
    const summary = runEnd(events, run).summary;
    expect(summary).toMatchObject({ segments: 0, handshakeNumbersMatch: null });
    if (process.platform === 'linux') {
      expect(summary.timeWait.map((t) => t.socket)).toEqual(clients);
      expect(
        ofKind(events, 'tcpState.change').some((c) => c.socket.local === clients[0] && c.to === 'ESTABLISHED'),
      ).toBe(true);
    }
  });

  it.runIf(canCapture)('falls back the same way when tcpdump runs without permission', async () => {
    const { demo, events } = await startDemo({ capture: { runAsUser: 'nobody' } });
    expect(demo.status().capture).toMatchObject({
      status: 'unavailable',
      error: { code: 'E_CAPTURE_NOT_PERMITTED' },
      enableCommand: expect.stringMatching(/^sudo setcap cap_net_raw,cap_net_admin=eip /),
    });
    await demo.run({ scenario: 'refused', stepDelayMs: 0, clients: 1 });
    expect(ofKind(events, 'packet.captureStatus').map((e) => e.status)).toEqual(['unavailable']);
    expect(ofKind(events, 'handshake.step').find((s) => s.call === 'error')?.error?.detail).toMatch(/ECONNREFUSED/);
  });
});
