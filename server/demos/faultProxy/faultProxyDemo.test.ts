// The fault proxy demo as pages, snippets and nc use it: faults belong to whoever set them, reach only their own
// connections, and go away with the page or control connection that set them.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../core/protocol/events.js';
import type { CommandMessage } from '../../../core/protocol/wire.js';
import { EventBus } from '../../events/eventBus.js';
import { dispatchCommand } from '../../ws/commandDispatch.js';
import type { CommandCaller } from '../demo.js';
import { connectionOwners } from '../../net/connectionOwners.js';
import { controlCaller, FaultProxyDemo, pageCaller } from './faultProxyDemo.js';

const running: FaultProxyDemo[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(running.splice(0).map((d) => d.stop()));
});

async function start() {
  const bus = new EventBus();
  const events: LabEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const demo = new FaultProxyDemo();
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: bus.forDemo('fault-proxy') });
  running.push(demo);
  const [proxy, control] = demo.endpoints();
  return { demo, events, proxyPort: proxy!.port, controlPort: control!.port };
}

let nextId = 1;
async function command(demo: FaultProxyDemo, caller: CommandCaller, action: string, args: unknown = {}) {
  const message = { type: 'command', id: nextId++, demo: 'fault-proxy', action, args } as CommandMessage;
  return dispatchCommand(demo, message, caller);
}

const alice: CommandCaller = { session: 'alice', local: false, address: '10.0.0.2' };
const bob: CommandCaller = { session: 'bob', local: false, address: '10.0.0.3' };
const instructor: CommandCaller = { session: 'teacher', local: true, address: '127.0.0.1' };

/** A client from outside the lab (nc, a Go program on this machine) and what it reads. */
async function outsideClient(port: number) {
  const s = await new Promise<net.Socket>((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => resolve(c));
    c.once('error', reject);
  });
  sockets.push(s);
  const got = { text: '' };
  s.setEncoding('utf8');
  s.on('data', (d: string) => (got.text += d));
  return { socket: s, got };
}

const until = async (cond: () => boolean, what: string, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not in time`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Whether `text` echoes back through the proxy within a short wait (used to see a stall hold it). */
async function echoes(client: { socket: net.Socket; got: { text: string } }, text: string, waitMs = 300) {
  client.socket.write(text);
  const end = Date.now() + waitMs;
  while (!client.got.text.includes(text) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return client.got.text.includes(text);
}

describe('who a caller reaches', () => {
  it('gives a page its own clients, its machine’s snippets, and outside connections only on the lab’s machine', () => {
    expect(pageCaller(alice)).toEqual({ owns: ['page:alice', 'machine:10.0.0.2'], outside: false });
    expect(pageCaller(instructor)).toEqual({ owns: ['page:teacher', 'machine:127.0.0.1'], outside: true });
  });

  it('gives a control connection what its opener owns: a snippet’s machine, nc here, or nc on another machine', () => {
    connectionOwners.claim('127.0.0.1', 40999, 'machine:10.0.0.9');
    try {
      expect(controlCaller('127.0.0.1', 40999)).toEqual({ owns: ['machine:10.0.0.9'], outside: false });
    } finally {
      connectionOwners.release('127.0.0.1', 40999, 'machine:10.0.0.9');
    }
    expect(controlCaller('127.0.0.1', 40998)).toEqual({ owns: [], outside: true });
    expect(controlCaller('10.0.0.7', 5000)).toEqual({ owns: ['machine:10.0.0.7'], outside: false });
  });
});

describe('FaultProxyDemo', () => {
  it('listens on two demo endpoints: the proxy and its control', async () => {
    const { demo } = await start();
    expect(demo.endpoints().map((e) => e.name)).toEqual(['fault-proxy', 'fault-control']);
  });

  it('keeps one student’s faults off another’s connections, and refuses faults on them', async () => {
    const { demo } = await start();
    const a = await command(demo, alice, 'connect');
    const b = await command(demo, bob, 'connect');
    expect(a.ok && b.ok).toBe(true);
    await until(() => demo['proxy']!.connectionCount === 2, 'both connections through the proxy');
    const aliceConns = await command(demo, alice, 'list');
    const bobConns = await command(demo, bob, 'list');
    if (!aliceConns.ok || !bobConns.ok) throw new Error('list failed');
    const [aliceConn] = (aliceConns.result as { conns: string[] }).conns;
    const [bobConn] = (bobConns.result as { conns: string[] }).conns;
    expect(aliceConn).toBeDefined();
    expect(bobConn).toBeDefined();
    expect(aliceConn).not.toBe(bobConn);
    // Bob names Alice's connection: refused, the same as for a connection that does not exist.
    const refused = await command(demo, bob, 'set', { rule: { fault: { type: 'stall' }, conn: aliceConn } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'E_FAULT_NOT_YOURS' } });
    // Bob's "all" reaches his connection only.
    const set = await command(demo, bob, 'set', { rule: { fault: { type: 'stall' } } });
    expect(set.ok).toBe(true);
    const book = demo['proxy']!.rules;
    expect(book.rulesFor(bobConn!, 'page:bob', 'up')).toHaveLength(1);
    expect(book.rulesFor(aliceConn!, 'page:alice', 'up')).toHaveLength(0);
    // Nor can Bob clear Alice's rule.
    const mine = await command(demo, alice, 'set', { rule: { fault: { type: 'latency', ms: 10 } } });
    if (!mine.ok) throw new Error('set failed');
    const id = (mine.result as { id: string }).id;
    expect(await command(demo, bob, 'clear', { id })).toMatchObject({
      ok: false,
      error: { code: 'E_FAULT_NO_SUCH_RULE' },
    });
  });

  it('gives an out-of-range setting its own code, and stays up', async () => {
    const { demo } = await start();
    const r = await command(demo, alice, 'set', { rule: { fault: { type: 'bandwidth', bytesPerSecond: 0 } } });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_FAULT_OUT_OF_RANGE' } });
    expect((await command(demo, alice, 'list')).ok).toBe(true);
  });

  it('clears a page’s faults when the page closes', async () => {
    const { demo, proxyPort } = await start();
    const nc = await outsideClient(proxyPort);
    expect(await echoes(nc, 'one')).toBe(true);
    expect((await command(demo, instructor, 'set', { rule: { fault: { type: 'stall' }, direction: 'down' } })).ok).toBe(
      true,
    );
    expect(await echoes(nc, 'two')).toBe(false);
    demo.sessionClosed('teacher');
    await until(() => nc.got.text.includes('two'), 'the echo held by the stall');
  });

  it('lets a page on another machine reach neither outside connections nor the shared switches', async () => {
    const { demo, proxyPort } = await start();
    const nc = await outsideClient(proxyPort);
    expect((await command(demo, alice, 'set', { rule: { fault: { type: 'stall' } } })).ok).toBe(true);
    expect(await echoes(nc, 'free')).toBe(true);
    expect(await command(demo, alice, 'switch', { upstream: 'down' })).toMatchObject({
      ok: false,
      error: { code: 'E_INSTRUCTOR_ONLY' },
    });
  });

  it('restarts the real upstream server and puts the switches back when their page leaves', async () => {
    const { demo, proxyPort, events } = await start();
    expect(await command(demo, instructor, 'switch', { upstream: 'down' })).toMatchObject({
      ok: true,
      result: { upstream: 'down', accepting: 'open' },
    });
    const during = await outsideClient(proxyPort);
    const closed = new Promise<void>((resolve) => during.socket.once('close', () => resolve()));
    during.socket.on('error', () => {});
    await closed; // the proxy dials a stopped server: the client is let go
    expect(events).toContainEqual(expect.objectContaining({ kind: 'fault.refused', reason: 'upstream-down' }));
    demo.sessionClosed('teacher');
    await until(() => events.some((e) => e.kind === 'fault.switches' && e.upstream === 'up'), 'back up');
    const after = await outsideClient(proxyPort);
    expect(await echoes(after, 'again', 3000)).toBe(true);
  });

  it('takes faults from a control connection (a snippet or nc), answers each line, and clears them when it closes', async () => {
    const { proxyPort, controlPort } = await start();
    const nc = await outsideClient(proxyPort);
    const control = await outsideClient(controlPort);
    control.socket.write('{"action":"set","rule":{"fault":{"type":"slicer","averageBytes":0}}}\n');
    await until(() => control.got.text.includes('\n'), 'the reply');
    expect(JSON.parse(control.got.text)).toMatchObject({ ok: false, error: { code: 'E_FAULT_OUT_OF_RANGE' } });
    control.got.text = '';
    control.socket.write('not json\n{"action":"set","rule":{"fault":{"type":"stall"},"direction":"down"}}\n');
    await until(() => control.got.text.split('\n').length === 3, 'two replies');
    const [bad, ok] = control.got.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(bad).toMatchObject({ ok: false, error: { code: 'E_BAD_JSON' } });
    expect(ok).toMatchObject({ ok: true, id: expect.stringMatching(/^f\d+$/) });
    expect(await echoes(nc, 'held')).toBe(false);
    control.socket.end();
    await until(() => nc.got.text.includes('held'), 'the stall cleared with its control connection');
  });
});
