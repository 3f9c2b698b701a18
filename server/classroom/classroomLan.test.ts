// Classroom mode over real HTTP and WebSockets, with the students' requests coming from a private network
// namespace this test makes (another computer on the LAN, as far as the lab can tell). Needs root.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../http/httpServer.js';
import { Lab } from '../lab.js';
import { Classroom } from './classroom.js';
import { CookieJar, LanClient } from './lanClientDriver.js';
import { makePrivateNetwork, type PrivateNetwork } from './privateNetwork.js';
import { SESSION_LIFETIME_MS } from './sessionBook.js';
import { PROTOCOL_VERSION } from '../../core/protocol/wire.js';
import { BRIDGE_PROTOCOL_VERSION } from '../../core/protocol/bridge.js';

const lessonsDir = fileURLToPath(new URL('../../lessons', import.meta.url));
const HTML = { accept: 'text/html,application/xhtml+xml' };
// The instructor's page on the lab's machine: its requests carry the lab's own Origin, as a browser's do.
const JSON_TYPE = {
  'content-type': 'application/json',
  get origin() {
    return `http://127.0.0.1:${running.port}`;
  },
};

let net: PrivateNetwork;
let client: LanClient;
/** A second student's computer: its own namespace and address (made before the lab starts, so the lab knows it). */
let net2: PrivateNetwork;
let client2: LanClient;
let root: string;
let webRoot: string;
let dataDir: string;
let clock = Date.now();
let running: { classroom: Classroom; server: http.Server; port: number; close(): Promise<void> };

async function startLab(): Promise<typeof running> {
  const classroom = await Classroom.open({ dataDir, classSize: 2, webRoot, now: () => clock });
  const lab = new Lab({ host: '0.0.0.0', demoPortBase: 0, build: 'test-build' });
  const { server, gateway, bridge } = createHttpServer(lab, { webRoot, lessonsDir, classroom });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return {
    classroom,
    server,
    port: (server.address() as AddressInfo).port,
    async close() {
      gateway.close();
      bridge.close();
      classroom.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const remote = (p: string) => `http://${net.hostAddress}:${running.port}${p}`;
const remoteWs = (p: string) => `ws://${net.hostAddress}:${running.port}${p}`;
const local = (p: string) => `http://127.0.0.1:${running.port}${p}`;
const code = () => running.classroom.joinCode;
const errorCode = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

async function join(jar: CookieJar, name: string, joinCode = code()) {
  const answer = await client.http('POST', remote('/api/classroom/join'), {
    headers: jar.header(),
    body: { code: joinCode, name },
  });
  jar.take(answer);
  return answer;
}

/** Opens a page's /ws (said hello) and a snippet's /ws/bridge with the student's cookie; their socket numbers. */
async function openLabSockets(jar: CookieJar): Promise<number[]> {
  const sockets: number[] = [];
  for (const p of ['/ws', '/ws/bridge']) {
    const opened = await client.ws(remoteWs(p), jar.header());
    if (!('socket' in opened)) throw new Error(`${p} refused ${opened.refused}`);
    sockets.push(opened.socket);
  }
  await client.wsSend(sockets[0]!, { type: 'hello', protocol: PROTOCOL_VERSION, build: 'test-build' });
  await expect.poll(() => client.received.get(sockets[0]!)?.messages.some((m) => m.includes('"welcome"'))).toBe(true);
  return sockets;
}

async function roster() {
  const r = await fetch(local('/api/classroom/instructor/roster'));
  return (
    (await r.json()) as {
      students: {
        name: string;
        lesson: string | null;
        exercisesPassed: number;
        connected: boolean;
        studentId: string;
      }[];
    }
  ).students;
}

beforeAll(async () => {
  net = makePrivateNetwork();
  client = new LanClient(net);
  net2 = makePrivateNetwork();
  client2 = new LanClient(net2);
  root = mkdtempSync(path.join(tmpdir(), 'gonet-lan-'));
  webRoot = path.join(root, 'web');
  dataDir = path.join(root, 'data');
  // A stand-in for the built app: the join page, its script, and the app's own script.
  mkdirSync(path.join(webRoot, '.vite'), { recursive: true });
  mkdirSync(path.join(webRoot, 'assets'));
  writeFileSync(path.join(webRoot, 'join.html'), '<!doctype html><title>join page</title>');
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>the app</title>');
  writeFileSync(path.join(webRoot, 'assets', 'join-1.js'), 'join();');
  writeFileSync(path.join(webRoot, 'assets', 'app-1.js'), 'app();');
  writeFileSync(
    path.join(webRoot, '.vite', 'manifest.json'),
    JSON.stringify({ 'join.html': { file: 'assets/join-1.js', imports: [] } }),
  );
  running = await startLab();
}, 30_000);

afterAll(async () => {
  client?.close();
  client2?.close();
  await running?.close();
  net?.close();
  net2?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('classroom mode on a LAN', () => {
  it('shows another computer only the join page until it joins: 401 page in both languages, coded JSON, refused upgrades', async () => {
    const page = await client.http('GET', remote('/'), { headers: HTML });
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Join the class first');
    expect(page.body).toContain('请先加入课堂');
    expect(page.body).toContain('href="/join"');
    for (const p of ['/api/status', '/api/lessons', '/assets/app-1.js', '/api/classroom/me']) {
      const r = await client.http('GET', remote(p));
      expect([p, r.status, errorCode(r.body)]).toEqual([p, 401, 'E_CLASS_JOIN_REQUIRED']);
    }
    for (const p of ['/ws', '/ws/bridge', '/ws/classroom'])
      expect(await client.ws(remoteWs(p))).toEqual({ refused: 401 });
    expect((await client.http('GET', remote('/join'))).body).toContain('join page');
    expect((await client.http('GET', remote('/assets/join-1.js'))).status).toBe(200);
  });

  it('lets the lab machine in without a code, as the instructor', async () => {
    expect((await fetch(local('/api/status'))).status).toBe(200);
    expect(await (await fetch(local('/api/classroom/me'))).json()).toEqual({ role: 'instructor', classSize: 2 });
  });

  it('refuses a wrong code and a bad name with coded errors, then joins with the code and a name', async () => {
    const jar = new CookieJar();
    const wrong = await join(jar, 'Ana', 'AAAAAA');
    expect([wrong.status, errorCode(wrong.body)]).toEqual([403, 'E_CLASS_BAD_CODE']);
    const badName = await join(jar, '<b>Ana</b>');
    expect([badName.status, errorCode(badName.body)]).toEqual([400, 'E_CLASS_BAD_NAME']);
    const garbage = await client.http('POST', remote('/api/classroom/join'), { body: '{not json' });
    expect([garbage.status, errorCode(garbage.body)]).toEqual([400, 'E_BAD_MESSAGE']);

    const ok = await join(jar, 'Ana', code().toLowerCase());
    expect(ok.status).toBe(200);
    expect(ok.headers['set-cookie']).toMatch(
      /^gonet_class=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
    );
    expect((await client.http('GET', remote('/api/status'), { headers: jar.header() })).status).toBe(200);
    expect(await client.ws(remoteWs('/ws'), jar.header())).toHaveProperty('socket');
    const me = JSON.parse((await client.http('GET', remote('/api/classroom/me'), { headers: jar.header() })).body) as {
      role: string;
      name: string;
    };
    expect(me).toMatchObject({ role: 'student', name: 'Ana' });
    // A student is not the instructor.
    const csv = await client.http('GET', remote('/api/classroom/instructor/progress.csv'), { headers: jar.header() });
    expect([csv.status, errorCode(csv.body)]).toEqual([403, 'E_CLASS_INSTRUCTOR_ONLY']);
    expect(await client.ws(remoteWs('/ws/classroom/instructor'), jar.header())).toEqual({ refused: 403 });
  });

  it('refuses a forged cookie, a name in use in another browser, and a full class; the same browser may rejoin', async () => {
    const forged = await client.http('GET', remote('/api/status'), {
      headers: { cookie: 'gonet_class=forged-forged-forged' },
    });
    expect([forged.status, errorCode(forged.body)]).toEqual([401, 'E_CLASS_SESSION_INVALID']);

    const other = new CookieJar();
    const taken = await join(other, ' ana ');
    expect([taken.status, errorCode(taken.body)]).toEqual([409, 'E_CLASS_NAME_TAKEN']);
    expect((await join(other, 'Bo')).status).toBe(200);
    const full = await join(new CookieJar(), 'Cy');
    expect([full.status, errorCode(full.body)]).toEqual([403, 'E_CLASS_FULL']);
    const again = await join(other, 'Bo');
    expect([again.status, JSON.parse(again.body)]).toEqual([200, { ok: true, name: 'Bo', returning: true }]);
  });

  it("mirrors a student's work to the roster and the CSV, follows a broadcast, and keeps it all across a restart", async () => {
    const jar = new CookieJar();
    // Ana's browser from the earlier test is a different jar; this browser joins as Di after Bo leaves.
    const bo = (await roster()).find((s) => s.name === 'Bo')!;
    expect(
      (
        await fetch(local('/api/classroom/instructor/kick'), {
          method: 'POST',
          headers: JSON_TYPE,
          body: JSON.stringify({ studentId: bo.studentId }),
        })
      ).status,
    ).toBe(200);
    expect((await join(jar, 'Di')).status).toBe(200);
    const opened = await client.ws(remoteWs('/ws/classroom'), jar.header());
    if (!('socket' in opened)) throw new Error(`refused ${opened.refused}`);
    await client.wsSend(opened.socket, { type: 'lesson', lesson: '11-length-prefix-decoder' });
    await client.wsSend(opened.socket, {
      type: 'progress',
      lesson: '11-length-prefix-decoder',
      passed: 4,
      total: 4,
      solved: true,
      revealed: false,
    });
    await client.wsSend(opened.socket, {
      type: 'edit',
      lesson: '11-length-prefix-decoder',
      file: 'decoder.ts',
      text: 'export const mine = 1;',
    });
    await client.wsSend(opened.socket, {
      type: 'progress',
      lesson: 'not a slug',
      passed: 1,
      total: 1,
      solved: true,
      revealed: false,
    });
    await expect
      .poll(async () => (await roster()).find((s) => s.name === 'Di'))
      .toMatchObject({ lesson: '11-length-prefix-decoder', exercisesPassed: 1, connected: true });
    await expect
      .poll(() => client.received.get(opened.socket)?.messages.some((m) => m.includes('E_BAD_MESSAGE')))
      .toBe(true);
    const csv = await (await fetch(local('/api/classroom/instructor/progress.csv'))).text();
    expect(csv).toMatch(/^Di,[^,]+,[^,]+,11-length-prefix-decoder,4,4,true,false,/m);

    const sent = (await (
      await fetch(local('/api/classroom/instructor/broadcast'), {
        method: 'POST',
        headers: JSON_TYPE,
        body: JSON.stringify({ lesson: '03-framing' }),
      })
    ).json()) as { sent: number };
    expect(sent.sent).toBeGreaterThanOrEqual(1);
    await expect
      .poll(() =>
        client.received.get(opened.socket)?.messages.map((m) => JSON.parse(m) as { type: string; lesson?: string }),
      )
      .toContainEqual({ type: 'goto', lesson: '03-framing' });

    await running.close();
    running = await startLab();
    const me = JSON.parse((await client.http('GET', remote('/api/classroom/me'), { headers: jar.header() })).body) as {
      name: string;
      work: unknown;
    };
    expect(me).toMatchObject({
      name: 'Di',
      work: {
        progress: { '11-length-prefix-decoder': { passed: 4, total: 4, solved: true } },
        edits: { '11-length-prefix-decoder': { 'decoder.ts': 'export const mine = 1;' } },
      },
    });
  });

  it("ends a removed student's session at once: their classroom, /ws and /ws/bridge sockets close, their cookie stops working", async () => {
    const jar = new CookieJar();
    // Di's seat from the last test is still taken; Di's own browser is gone, so the instructor frees the class first.
    for (const s of await roster())
      await fetch(local('/api/classroom/instructor/kick'), {
        method: 'POST',
        headers: JSON_TYPE,
        body: JSON.stringify({ studentId: s.studentId }),
      });
    expect((await join(jar, 'Eve')).status).toBe(200);
    const opened = await client.ws(remoteWs('/ws/classroom'), jar.header());
    if (!('socket' in opened)) throw new Error('refused');
    // The lab's own sockets, already open: the page's /ws and a snippet's /ws/bridge.
    const labSockets = await openLabSockets(jar);
    await expect.poll(async () => (await roster()).find((s) => s.name === 'Eve')?.connected).toBe(true);
    const id = (await roster()).find((s) => s.name === 'Eve')!.studentId;
    await fetch(local('/api/classroom/instructor/kick'), {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ studentId: id }),
    });
    await expect.poll(() => client.received.get(opened.socket)?.closed).toBe(4001);
    for (const socket of labSockets) await expect.poll(() => client.received.get(socket)?.closed).toBe(4001);
    expect(client.received.get(opened.socket)!.messages.some((m) => m.includes('"kicked"'))).toBe(true);
    const after = await client.http('GET', remote('/api/status'), { headers: jar.header() });
    expect([after.status, errorCode(after.body)]).toEqual([401, 'E_CLASS_SESSION_INVALID']);
    const unknown = await fetch(local('/api/classroom/instructor/kick'), {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ studentId: 'nobody' }),
    });
    expect(unknown.status).toBe(404);
    // What a form or text/plain POST from another web site looks like: never taken for the instructor's action.
    const crossSite = await fetch(local('/api/classroom/instructor/broadcast'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'http://evil.example' },
      body: JSON.stringify({ lesson: '03-framing' }),
    });
    expect([crossSite.status, errorCode(await crossSite.text())]).toEqual([403, 'E_ORIGIN_NOT_ALLOWED']);
    // The same from the lab's own page but not JSON is still refused by the classroom's own check.
    const plain = await fetch(local('/api/classroom/instructor/broadcast'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: JSON_TYPE.origin },
      body: '{}',
    });
    expect([plain.status, errorCode(await plain.text())]).toEqual([400, 'E_BAD_MESSAGE']);
  });

  it('lets the instructor in from another computer with the token only', async () => {
    const jar = new CookieJar();
    const bad = await client.http('GET', remote('/api/classroom/instructor-login?token=guess'));
    expect(bad.status).toBe(403);
    const good = await client.http(
      'GET',
      remote(`/api/classroom/instructor-login?token=${running.classroom.instructorToken}`),
    );
    expect([good.status, good.headers.location]).toEqual([302, '/instructor']);
    jar.take(good);
    expect(
      (await client.http('GET', remote('/api/classroom/instructor/roster'), { headers: jar.header() })).status,
    ).toBe(200);
  });

  it('says "expired" for a session past its lifetime, and the same name and code find the work again', async () => {
    const jar = new CookieJar();
    expect((await join(jar, 'Fay')).status).toBe(200);
    const labSockets = await openLabSockets(jar);
    running.classroom.closeEndedSessions();
    for (const socket of labSockets) expect(client.received.get(socket)?.closed ?? null).toBe(null); // live: kept
    clock += SESSION_LIFETIME_MS + 1000;
    // The minute's sweep closes the sockets of a session that expired.
    running.classroom.closeEndedSessions();
    for (const socket of labSockets) await expect.poll(() => client.received.get(socket)?.closed).toBe(4001);
    const expired = await client.http('GET', remote('/api/status'), { headers: jar.header() });
    expect([expired.status, errorCode(expired.body)]).toEqual([401, 'E_CLASS_SESSION_EXPIRED']);
    // Di's work from before the restart, with a fresh browser: same name, same code.
    const fresh = new CookieJar();
    const back = await join(fresh, 'di');
    expect([back.status, JSON.parse(back.body)]).toMatchObject([200, { name: 'Di', returning: true }]);
    const me = JSON.parse(
      (await client.http('GET', remote('/api/classroom/me'), { headers: fresh.header() })).body,
    ) as { work: { progress: object } };
    expect(Object.keys(me.work.progress)).toEqual(['11-length-prefix-decoder']);
  });

  it("keeps students apart: one student's snippet sockets and their events never reach another student's page", async () => {
    for (const s of await roster())
      await fetch(local('/api/classroom/instructor/kick'), {
        method: 'POST',
        headers: JSON_TYPE,
        body: JSON.stringify({ studentId: s.studentId }),
      });
    const ana = new CookieJar();
    const bo = new CookieJar();
    const anaJoined = await join(ana, 'Ana');
    expect([anaJoined.status, anaJoined.body]).toEqual([200, expect.any(String)]);
    const boJoined = await client2.http('POST', `http://${net2.hostAddress}:${running.port}/api/classroom/join`, {
      body: { code: code(), name: 'Bo' },
    });
    expect([boJoined.status, boJoined.body]).toEqual([200, expect.any(String)]);
    bo.take(boJoined);

    // Ana's snippet: a listener on the lab's loopback and a dial to it, through her /ws/bridge.
    const bridge = await client.ws(remoteWs('/ws/bridge'), ana.header());
    if (!('socket' in bridge)) throw new Error(`bridge refused ${bridge.refused}`);
    await client.wsSend(bridge.socket, { type: 'hello', protocol: BRIDGE_PROTOCOL_VERSION });
    const welcome = async () =>
      client.received
        .get(bridge.socket)
        ?.messages.map((m) => JSON.parse(m) as { type: string; demo?: string; local?: { port: number } }) ?? [];
    await expect.poll(async () => (await welcome()).some((m) => m.type === 'welcome')).toBe(true);
    const snippetDemo = (await welcome()).find((m) => m.type === 'welcome')!.demo!;

    // Both pages subscribe to Ana's snippet (Bo's page guessing its id, as a curious student could).
    const [anaPage] = await openLabSockets(ana);
    const boPage = await client2.ws(`ws://${net2.hostAddress}:${running.port}/ws`, bo.header());
    if (!('socket' in boPage)) throw new Error(`Bo's /ws refused ${boPage.refused}`);
    await client2.wsSend(boPage.socket, { type: 'hello', protocol: PROTOCOL_VERSION, build: 'test-build' });
    await expect
      .poll(() => client2.received.get(boPage.socket)?.messages.some((m) => m.includes('"welcome"')))
      .toBe(true);
    await client.wsSend(anaPage!, { type: 'subscribe', demos: [snippetDemo] });
    await client2.wsSend(boPage.socket, { type: 'subscribe', demos: [snippetDemo] });

    await client.wsSend(bridge.socket, { type: 'listen', req: 1, address: '127.0.0.1:0' });
    await expect.poll(async () => (await welcome()).some((m) => m.type === 'listening')).toBe(true);
    const port = (await welcome()).find((m) => m.type === 'listening')!.local!.port;
    await client.wsSend(bridge.socket, { type: 'dial', req: 2, address: `127.0.0.1:${port}` });
    await expect.poll(async () => (await welcome()).some((m) => m.type === 'dialed')).toBe(true);

    const snippetEvents = (messages: string[] | undefined) =>
      (messages ?? []).flatMap((m) => {
        const msg = JSON.parse(m) as { type: string; events?: { demo: string; kind: string }[] };
        return msg.type === 'events' ? msg.events!.filter((e) => e.demo === snippetDemo) : [];
      });
    // Ana's page sees her snippet's sockets open…
    await expect
      .poll(() => snippetEvents(client.received.get(anaPage!)?.messages).filter((e) => e.kind === 'socket.open').length)
      .toBeGreaterThanOrEqual(2);
    // …and once her page has them, Bo's (subscribed before they opened) has none of them.
    await client2.wsSend(boPage.socket, { type: 'hello', protocol: PROTOCOL_VERSION, build: 'test-build' });
    await expect
      .poll(() => client2.received.get(boPage.socket)?.messages.filter((m) => m.includes('"welcome"')).length)
      .toBe(2);
    expect(snippetEvents(client2.received.get(boPage.socket)?.messages)).toEqual([]);
  });

  it('answers 429 after a few wrong codes from one address, even for the right code, and the lab stays up', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await join(new CookieJar(), `Guess ${i}`, 'WRONG1')).status);
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const right = await join(new CookieJar(), 'Gil');
    expect([right.status, errorCode(right.body)]).toEqual([429, 'E_CLASS_TOO_MANY_TRIES']);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect((await fetch(local('/api/status'))).status).toBe(200);
  });
});
