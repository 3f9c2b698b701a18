// Classroom mode's I/O shell: decides each request with the pure gate, answers the join and instructor APIs,
// keeps the live roster over /ws/classroom, and mirrors students' work into the classroom store.
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import QRCode from 'qrcode';
import { WebSocketServer, WebSocket } from 'ws';
import { RateBudget } from '../../core/budget/rateBudget.js';
import {
  BroadcastRequest,
  CLASSROOM_WS_PATH,
  INSTRUCTOR_COOKIE,
  INSTRUCTOR_PAGE_PATH,
  JOIN_PAGE_PATH,
  JoinRequest,
  SESSION_COOKIE,
  ShowRequest,
  StudentMessage,
  StudentRequest,
  type ClassroomIdentity,
  type ClassroomServerMessage,
} from '../../core/protocol/classroom.js';
import { wireError, type ErrorCode } from '../../core/protocol/errors.js';
import { isOnLabMachine, plainAddress } from '../net/clientPlace.js';
import { decideGate, type GateVerdict, type Visitor } from './classroomGate.js';
import { refusalPage } from './classroomPages.js';
import { ClassroomStore } from './classroomStore.js';
import { nameKey, normalizeDisplayName } from './displayName.js';
import { JoinAttempts } from './joinAttempts.js';
import { displayJoinCode, joinCodeMatches, newJoinCode, newSecret } from './joinCode.js';
import { progressCsv } from './progressCsv.js';
import { buildRoster } from './rosterModel.js';
import { hashSessionId, SessionBook, SESSION_LIFETIME_MS } from './sessionBook.js';

export const DEFAULT_CLASS_SIZE = 60;
const MAX_BODY_BYTES = 8 * 1024;
const ROSTER_PUSH_MS = 250;

export interface ClassroomOptions {
  dataDir: string;
  classSize: number;
  /** dist/web: the join page and its files are served from here. */
  webRoot: string;
  now?: () => number;
}

/** The classroom's answer for one request: go on to the lab, or it has been answered here. */
export type ClassroomHandled = 'answered' | 'continue';

export class Classroom {
  readonly joinCode: string;
  /** Printed once in the banner; kept only as a hash. */
  readonly instructorToken = newSecret();
  private readonly instructorTokenHash = hashSessionId(this.instructorToken);
  private readonly instructorSessions = new Set<string>();
  private readonly sessions: SessionBook;
  private readonly attempts = new JoinAttempts();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 128 * 1024, perMessageDeflate: false });
  private readonly studentSockets = new Map<string, Set<WebSocket>>();
  private readonly instructorSockets = new Set<WebSocket>();
  /** The lab's own sockets (/ws, /ws/bridge) each student's session opened: they end with the session. */
  private readonly labSockets = new Map<string, Map<WebSocket, string>>();
  private rosterTimer: NodeJS.Timeout | null = null;
  private shown: string | null = null;
  private machineAddresses: { at: number; set: Set<string> } = { at: -Infinity, set: new Set() };
  private joinAssets: { checkedAt: number; mtimeMs: number; set: Set<string> } | null = null;
  /** When each student's last activity was written: a page loading twenty files is one write, not twenty. */
  private readonly activityWritten = new Map<string, number>();
  private readonly now: () => number;
  private readonly pruneTimer: NodeJS.Timeout;

  private constructor(
    private readonly store: ClassroomStore,
    private readonly options: ClassroomOptions,
  ) {
    this.now = options.now ?? Date.now;
    const stored = store.setting('join_code');
    this.joinCode = stored ?? newJoinCode();
    if (!stored) store.setSetting('join_code', this.joinCode);
    this.sessions = new SessionBook(store.sessions());
    this.pruneTimer = setInterval(() => this.prune(), 60_000);
    this.pruneTimer.unref();
  }

  /** Opens the store under the data folder; throws the store's LabError (read-only, corrupt, too new). */
  static async open(options: ClassroomOptions): Promise<Classroom> {
    return new Classroom(await ClassroomStore.open(options.dataDir), options);
  }

  get databaseFile(): string {
    return this.store.file;
  }

  /** The verdict for one HTTP request or WebSocket upgrade. */
  gate(req: IncomingMessage): GateVerdict {
    const cookies = parseCookies(req.headers.cookie);
    const sessionId = cookies.get(SESSION_COOKIE);
    const instructorId = cookies.get(INSTRUCTOR_COOKIE);
    return decideGate({
      path: new URL(req.url ?? '/', 'http://lab').pathname,
      onLabMachine: isOnLabMachine(req.socket.remoteAddress, this.addressesOfMachine()),
      session: sessionId === undefined ? null : this.sessions.check(sessionId, this.now()),
      instructorCookieValid: instructorId !== undefined && this.instructorSessions.has(hashSessionId(instructorId)),
      joinAssets: this.assetsOfJoinPage(),
    });
  }

  /** Answers classroom paths and refusals; 'continue' lets the lab serve an allowed request as usual. */
  async handle(req: IncomingMessage, res: ServerResponse, verdict: GateVerdict): Promise<ClassroomHandled> {
    const url = new URL(req.url ?? '/', 'http://lab');
    if (verdict.kind !== 'allow') {
      refuse(
        req,
        res,
        verdict.kind === 'needs-join' ? 401 : verdict.status,
        verdict.kind === 'needs-join' ? verdict.code : verdict.code,
      );
      return 'answered';
    }
    const visitor = verdict.visitor;
    if (visitor.role === 'student') this.noteActivity(visitor.studentId);
    switch (url.pathname) {
      case JOIN_PAGE_PATH:
        this.sendJoinPage(res);
        return 'answered';
      case '/api/classroom/me':
        sendJson(res, 200, this.identity(visitor));
        return 'answered';
      case '/api/classroom/join':
        if (req.method !== 'POST') return methodNotAllowed(res);
        await this.join(req, res);
        return 'answered';
      case '/api/classroom/instructor-login':
        this.instructorLogin(url, res);
        return 'answered';
      case '/api/classroom/instructor/info':
        sendJson(res, 200, {
          joinCode: displayJoinCode(this.joinCode),
          joinUrls: this.joinUrls(req),
          classSize: this.options.classSize,
        });
        return 'answered';
      case '/api/classroom/instructor/qr.svg': {
        const svg = await QRCode.toString(this.withCode(this.joinUrls(req)[0] ?? JOIN_PAGE_PATH), {
          type: 'svg',
          margin: 2,
        });
        res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' }).end(svg);
        return 'answered';
      }
      case '/api/classroom/instructor/roster':
        sendJson(res, 200, { students: this.roster(), shown: this.shown });
        return 'answered';
      case '/api/classroom/instructor/progress.csv':
        res.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="gonet-lab-progress.csv"',
          'cache-control': 'no-store',
        });
        res.end(progressCsv(this.store.csvRows()));
        return 'answered';
      case '/api/classroom/instructor/broadcast':
      case '/api/classroom/instructor/kick':
      case '/api/classroom/instructor/show':
        if (req.method !== 'POST') return methodNotAllowed(res);
        await this.instructorAction(url.pathname, req, res);
        return 'answered';
    }
    if (url.pathname.startsWith('/api/classroom/')) {
      sendJson(res, 404, { error: { code: 'E_NOT_FOUND', detail: url.pathname } });
      return 'answered';
    }
    return 'continue';
  }

  /** For an upgrade the gate refused: an HTTP answer on the raw socket, then close. */
  refuseUpgrade(socket: Duplex, verdict: Exclude<GateVerdict, { kind: 'allow' }>): void {
    const status = verdict.kind === 'needs-join' ? 401 : verdict.status;
    const body = JSON.stringify({ error: wireError(verdict.code) });
    socket.end(
      `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  }

  /** Takes /ws/classroom (students) and /ws/classroom/instructor; false for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, visitor: Visitor): boolean {
    const pathname = new URL(req.url ?? '/', 'http://lab').pathname;
    if (pathname === `${CLASSROOM_WS_PATH}/instructor` && visitor.role === 'instructor') {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.addInstructorSocket(ws));
      return true;
    }
    if (pathname === CLASSROOM_WS_PATH) {
      if (visitor.role !== 'student') {
        // The lab's own machine has nothing to report: answer with a closed socket, not an error.
        this.wss.handleUpgrade(req, socket, head, (ws) => ws.close(1000, 'not a student'));
        return true;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) =>
        this.addStudentSocket(ws, visitor.studentId, visitor.sessionHash),
      );
      return true;
    }
    return false;
  }

  /** Lines for the start-up banner: where students go, the code, a QR code, and the instructor link (once). */
  async bannerLines(port: number): Promise<string[]> {
    const urls = lanUrls(port, this.addressesOfMachine());
    const lines = [
      '',
      `  Classroom: join code  ${displayJoinCode(this.joinCode)}   (class size ${this.options.classSize})`,
    ];
    if (urls.length === 0) lines.push('  ! No LAN address found: students on other computers cannot reach this lab.');
    for (const u of urls) lines.push(`  Students open:  ${u}${JOIN_PAGE_PATH}`);
    if (urls[0]) {
      // The QR code carries the code too: a phone camera fills it in.
      const qr = await QRCode.toString(this.withCode(`${urls[0]}${JOIN_PAGE_PATH}`), { type: 'utf8', margin: 2 });
      lines.push(
        ...qr
          .trimEnd()
          .split('\n')
          .map((l) => `  ${l}`),
      );
    }
    lines.push(
      `  Instructor page on this machine:  http://127.0.0.1:${port}${INSTRUCTOR_PAGE_PATH}`,
      `  Instructor link for another computer (keep it private; shown once):`,
      `    ${urls[0] ?? `http://127.0.0.1:${port}`}/api/classroom/instructor-login?token=${this.instructorToken}`,
      `  Progress is kept in ${this.store.file}`,
    );
    return lines;
  }

  close(): void {
    clearInterval(this.pruneTimer);
    if (this.rosterTimer) clearTimeout(this.rosterTimer);
    for (const set of this.studentSockets.values()) for (const ws of set) ws.close(1001, 'lab stopping');
    for (const ws of this.instructorSockets) ws.close(1001, 'lab stopping');
    this.wss.close();
    this.store.close();
  }

  // --- joining

  private async join(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = plainAddress(req.socket.remoteAddress ?? '');
    const now = this.now();
    const wait = this.attempts.retryAfterMs(address, now);
    if (wait > 0) {
      res.setHeader('retry-after', String(Math.ceil(wait / 1000)));
      return sendError(res, 429, 'E_CLASS_TOO_MANY_TRIES');
    }
    const body = JoinRequest.safeParse(await readJson(req));
    if (!body.success)
      return sendError(res, 400, 'E_BAD_MESSAGE', body.error.issues.map((i) => i.path.join('.')).join(', '));
    if (!joinCodeMatches(body.data.code, this.joinCode)) {
      this.attempts.recordWrong(address, now);
      return sendError(res, 403, 'E_CLASS_BAD_CODE');
    }
    this.attempts.recordRight(address);
    const name = normalizeDisplayName(body.data.name);
    if (!name) return sendError(res, 400, 'E_CLASS_BAD_NAME');

    const held = this.sessions.check(parseCookies(req.headers.cookie).get(SESSION_COOKIE), now);
    const existing = this.store.studentByNameKey(nameKey(name));
    if (existing && held.ok && held.studentId === existing.id) {
      // The same browser joining again under its own name: nothing changes.
      return sendJson(res, 200, { ok: true, name: existing.name, returning: true });
    }
    if (existing && this.sessions.hasLiveSession(existing.id, now)) return sendError(res, 409, 'E_CLASS_NAME_TAKEN');
    if (this.sessions.liveStudents(now).size >= this.options.classSize) return sendError(res, 403, 'E_CLASS_FULL');
    // A browser that joins under another name gives up its old seat.
    if (held.ok) this.store.removeSessions(this.sessions.revokeStudent(held.studentId));

    const studentId = existing?.id ?? randomUUID();
    if (!existing) this.store.addStudent({ id: studentId, name, nameKey: nameKey(name), now });
    else this.store.touchStudent(studentId, now);
    const { id, record } = this.sessions.issue(studentId, now);
    this.store.addSession(record);
    res.setHeader('set-cookie', cookie(SESSION_COOKIE, id, SESSION_LIFETIME_MS / 1000));
    sendJson(res, 200, { ok: true, name: existing?.name ?? name, returning: existing !== null });
    this.pushRosterSoon();
  }

  private instructorLogin(url: URL, res: ServerResponse): void {
    const token = url.searchParams.get('token') ?? '';
    if (token.length > 200 || hashSessionId(token) !== this.instructorTokenHash) {
      res
        .writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(refusalPage(403, 'E_CLASS_INSTRUCTOR_ONLY'));
      return;
    }
    const id = newSecret();
    this.instructorSessions.add(hashSessionId(id));
    // Lives as long as this run of the lab: a restart prints a new token.
    res
      .writeHead(302, {
        location: INSTRUCTOR_PAGE_PATH,
        'set-cookie': cookie(INSTRUCTOR_COOKIE, id),
        'cache-control': 'no-store',
      })
      .end();
  }

  private identity(visitor: Visitor): ClassroomIdentity {
    if (visitor.role === 'instructor') return { role: 'instructor', classSize: this.options.classSize };
    if (visitor.role === 'student') {
      const s = this.store.student(visitor.studentId);
      if (s) return { role: 'student', studentId: s.id, name: s.name, work: this.store.work(s.id) };
    }
    return { role: 'solo' };
  }

  // --- the instructor's controls

  private async instructorAction(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const json = await readJson(req);
    if (pathname.endsWith('/broadcast')) {
      const body = BroadcastRequest.safeParse(json);
      if (!body.success) return sendError(res, 400, 'E_BAD_MESSAGE', 'lesson');
      let sent = 0;
      for (const set of this.studentSockets.values())
        for (const ws of set) sent += send(ws, { type: 'goto', lesson: body.data.lesson }) ? 1 : 0;
      return sendJson(res, 200, { ok: true, sent });
    }
    if (pathname.endsWith('/kick')) {
      const body = StudentRequest.safeParse(json);
      if (!body.success) return sendError(res, 400, 'E_BAD_MESSAGE', 'studentId');
      if (!this.store.student(body.data.studentId)) return sendError(res, 404, 'E_CLASS_NO_SUCH_STUDENT');
      this.store.removeSessions(this.sessions.revokeStudent(body.data.studentId));
      for (const ws of this.studentSockets.get(body.data.studentId) ?? []) {
        send(ws, { type: 'kicked', error: wireError('E_CLASS_SESSION_INVALID') });
        ws.close(4001, 'removed by the instructor');
      }
      for (const ws of this.labSockets.get(body.data.studentId)?.keys() ?? [])
        endLabSocket(ws, 'removed by the instructor');
      if (this.shown === body.data.studentId) this.showRun(null);
      this.pushRosterSoon();
      return sendJson(res, 200, { ok: true });
    }
    const body = ShowRequest.safeParse(json);
    if (!body.success) return sendError(res, 400, 'E_BAD_MESSAGE', 'studentId');
    if (body.data.studentId !== null && !this.store.student(body.data.studentId))
      return sendError(res, 404, 'E_CLASS_NO_SUCH_STUDENT');
    this.showRun(body.data.studentId);
    sendJson(res, 200, { ok: true });
  }

  /** Shows one student's last run to the whole class (null stops showing). */
  private showRun(studentId: string | null): void {
    this.shown = studentId;
    const run = studentId ? this.store.lastRun(studentId) : null;
    this.sendToClass({ type: 'shown', run });
    this.pushRosterSoon();
  }

  private sendToClass(message: ClassroomServerMessage): void {
    for (const set of this.studentSockets.values()) for (const ws of set) send(ws, message);
    for (const ws of this.instructorSockets) send(ws, message);
  }

  // --- live sockets

  /**
   * A /ws or /ws/bridge socket the gate let in: a student's is held with its session, so removing the student or
   * the session's expiry closes it at once (the gate alone would only refuse the next request).
   */
  holdLabSocket(visitor: Visitor, ws: WebSocket): void {
    if (visitor.role !== 'student') return;
    let held = this.labSockets.get(visitor.studentId);
    if (!held) this.labSockets.set(visitor.studentId, (held = new Map()));
    held.set(ws, visitor.sessionHash);
    ws.once('close', () => {
      held.delete(ws);
      if (held.size === 0 && this.labSockets.get(visitor.studentId) === held) this.labSockets.delete(visitor.studentId);
    });
  }

  /** Closes every socket whose session has ended (expired or revoked): the minute's sweep calls it. */
  closeEndedSessions(): void {
    const now = this.now();
    for (const held of this.labSockets.values()) {
      for (const [ws, hash] of held) if (!this.sessions.isLive(hash, now)) endLabSocket(ws, 'session ended');
    }
  }

  private addStudentSocket(ws: WebSocket, studentId: string, sessionHash: string): void {
    let set = this.studentSockets.get(studentId);
    if (!set) this.studentSockets.set(studentId, (set = new Set()));
    set.add(ws);
    // The classroom socket ends with its session too (the sweep closes it; the kick tells it first).
    this.holdLabSocket({ role: 'student', studentId, sessionHash }, ws);
    const limiter = new RateBudget({ burst: 60, perSecond: 20, clock: () => this.now() });
    ws.on('message', (data, isBinary) => {
      // A kicked or expired session stops counting at once, even on an open socket.
      if (!this.sessions.isLive(sessionHash, this.now())) return ws.close(4001, 'session ended');
      if (!limiter.take()) return void send(ws, { type: 'error', error: wireError('E_RATE_LIMITED') });
      if (isBinary) return void send(ws, { type: 'error', error: wireError('E_BINARY_NOT_ACCEPTED') });
      let json: unknown;
      try {
        json = JSON.parse((data as Buffer).toString('utf8'));
      } catch {
        return void send(ws, { type: 'error', error: wireError('E_BAD_JSON') });
      }
      const parsed = StudentMessage.safeParse(json);
      if (!parsed.success)
        return void send(ws, {
          type: 'error',
          error: wireError('E_BAD_MESSAGE', parsed.error.issues.map((i) => i.path.join('.')).join(', ')),
        });
      this.onStudentMessage(studentId, parsed.data);
    });
    ws.on('error', () => ws.terminate());
    ws.once('close', () => {
      set.delete(ws);
      if (set.size === 0) this.studentSockets.delete(studentId);
      this.pushRosterSoon();
    });
    if (this.shown) send(ws, { type: 'shown', run: this.store.lastRun(this.shown) });
    this.pushRosterSoon();
  }

  private onStudentMessage(studentId: string, m: StudentMessage): void {
    const now = this.now();
    switch (m.type) {
      case 'progress':
        this.store.saveProgress(studentId, m.lesson, {
          passed: m.passed,
          total: m.total,
          solved: m.solved,
          revealed: m.revealed,
          at: now,
        });
        this.store.touchStudent(studentId, now, m.lesson);
        break;
      case 'edit':
        this.store.saveEdit(studentId, m.lesson, m.file, m.text, now);
        this.store.touchStudent(studentId, now);
        break;
      case 'lesson':
        this.store.touchStudent(studentId, now, m.lesson);
        break;
      case 'run':
        this.store.saveRun(studentId, m.lesson, m.output, now);
        this.store.touchStudent(studentId, now);
        if (this.shown === studentId) this.sendToClass({ type: 'shown', run: this.store.lastRun(studentId) });
        break;
    }
    this.pushRosterSoon();
  }

  private addInstructorSocket(ws: WebSocket): void {
    this.instructorSockets.add(ws);
    ws.on('error', () => ws.terminate());
    ws.once('close', () => this.instructorSockets.delete(ws));
    send(ws, { type: 'roster', students: this.roster(), shown: this.shown });
  }

  private roster() {
    const now = this.now();
    return buildRoster(
      this.store.students(),
      (id) => this.store.progressOf(id).values(),
      new Set(this.studentSockets.keys()),
      this.sessions.liveStudents(now),
    );
  }

  /** Roster changes are pushed to instructors at most every ROSTER_PUSH_MS: 60 students typing is one update. */
  private pushRosterSoon(): void {
    if (this.rosterTimer || this.instructorSockets.size === 0) return;
    this.rosterTimer = setTimeout(() => {
      this.rosterTimer = null;
      const message: ClassroomServerMessage = { type: 'roster', students: this.roster(), shown: this.shown };
      for (const ws of this.instructorSockets) send(ws, message);
    }, ROSTER_PUSH_MS);
  }

  private noteActivity(studentId: string): void {
    const now = this.now();
    if (now - (this.activityWritten.get(studentId) ?? -Infinity) < 10_000) return;
    this.activityWritten.set(studentId, now);
    this.store.touchStudent(studentId, now);
  }

  private prune(): void {
    const now = this.now();
    this.attempts.prune(now);
    this.closeEndedSessions();
    this.store.removeSessions(this.sessions.dropExpired(now));
  }

  // --- machine and files

  /** The machine's own addresses, read again every few seconds (an interface may come up while the lab runs). */
  private addressesOfMachine(): Set<string> {
    const now = Date.now();
    if (now - this.machineAddresses.at < 2000) return this.machineAddresses.set;
    const set = new Set<string>();
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) set.add(plainAddress(a.address));
    this.machineAddresses = { at: now, set };
    return set;
  }

  private withCode(joinUrl: string): string {
    return `${joinUrl}?code=${this.joinCode}`;
  }

  private joinUrls(req: IncomingMessage): string[] {
    const port = req.socket.localPort ?? 0;
    return lanUrls(port, this.addressesOfMachine()).map((u) => `${u}${JOIN_PAGE_PATH}`);
  }

  /** The join page's built files, from Vite's manifest (read again when a new build replaces it). */
  private assetsOfJoinPage(): Set<string> {
    const now = Date.now();
    if (this.joinAssets && now - this.joinAssets.checkedAt < 2000) return this.joinAssets.set;
    const file = path.join(this.options.webRoot, '.vite', 'manifest.json');
    let mtimeMs = -1;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      // Not built yet: the join page itself says so.
    }
    if (this.joinAssets && this.joinAssets.mtimeMs === mtimeMs) {
      this.joinAssets.checkedAt = now;
      return this.joinAssets.set;
    }
    const set = new Set<string>();
    try {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<
        string,
        { file: string; css?: string[]; imports?: string[] }
      >;
      const visit = (key: string) => {
        const chunk = manifest[key];
        if (!chunk || set.has(`/${chunk.file}`)) return;
        set.add(`/${chunk.file}`);
        for (const css of chunk.css ?? []) set.add(`/${css}`);
        for (const imp of chunk.imports ?? []) visit(imp);
      };
      visit('join.html');
    } catch {
      // Not built (or mid-build): no files beyond the join page itself for now.
    }
    this.joinAssets = { checkedAt: now, mtimeMs, set };
    return set;
  }

  private sendJoinPage(res: ServerResponse): void {
    try {
      const html = readFileSync(path.join(this.options.webRoot, 'join.html'));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(html);
    } catch {
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The web app is not built yet. Run `npm run build`.\n');
    }
  }
}

/** Closes a socket whose session ended; a peer that does not answer the close is cut off after a short grace. */
function endLabSocket(ws: WebSocket, reason: string): void {
  ws.close(4001, reason);
  setTimeout(() => ws.terminate(), 2000).unref();
}

/** http://<address>:<port> for each of the machine's non-loopback IPv4 addresses. */
export function lanUrls(port: number, addresses: Iterable<string>): string[] {
  return [...addresses]
    .filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !a.startsWith('127.') && !a.startsWith('169.254.'))
    .map((a) => `http://${a}:${port}`);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    if (!out.has(key)) out.set(key, part.slice(eq + 1).trim());
  }
  return out;
}

function cookie(name: string, value: string, maxAgeSeconds?: number): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict${maxAgeSeconds ? `; Max-Age=${Math.floor(maxAgeSeconds)}` : ''}`;
}

function send(ws: WebSocket, message: ClassroomServerMessage): boolean {
  if (ws.readyState !== WebSocket.OPEN) return false;
  ws.send(JSON.stringify(message));
  return true;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, detail?: string): void {
  sendJson(res, status, { error: wireError(code, detail) });
}

function methodNotAllowed(res: ServerResponse): ClassroomHandled {
  sendJson(res, 405, { error: { code: 'E_METHOD', detail: 'use POST' } });
  return 'answered';
}

/** HTML for a page the browser navigates to, a coded JSON error for everything else. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: ErrorCode): void {
  const pathname = new URL(req.url ?? '/', 'http://lab').pathname;
  const wantsHtml = !pathname.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html');
  if (wantsHtml) {
    res
      .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(refusalPage(status, code));
  } else sendError(res, status, code);
}

/**
 * The body as JSON, or null. Only `application/json` is read: a form or text/plain POST from another web site
 * (which a browser sends without asking) is never taken for the instructor's or a student's action.
 */
async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
