// The lab's HTTP server: JSON API under /api, the WebSocket upgrades at /ws and /ws/bridge, the built web app for
// everything else. Every request and upgrade passes the request guard first.
import http from 'node:http';
import type { WebSocket } from 'ws';
import type { Lab } from '../lab.js';
import { listLessonSummaries, loadLesson } from '../lessons/lessonCatalog.js';
import { BridgeGateway, type BridgeGatewayOptions } from '../bridge/bridgeGateway.js';
import { BRIDGE_PATH } from '../../core/protocol/bridge.js';
import { wireError } from '../../core/protocol/errors.js';
import { WsGateway } from '../ws/wsGateway.js';
import { createStaticFiles, type StaticHandler } from './staticFiles.js';
import { securityHeaders } from './securityHeaders.js';
import { RequestGuard, refuseHttp, refuseUpgrade } from './requestGuard.js';
import type { Classroom } from '../classroom/classroom.js';

export interface HttpOptions {
  webRoot: string;
  lessonsDir: string;
  bridge?: BridgeGatewayOptions;
  /** Classroom mode: browsers on other computers join with a code first (server/classroom). */
  classroom?: Classroom;
  /** Host names the lab answers to besides loopback and its bound addresses (--allow-host). */
  allowHosts?: readonly string[];
}

export function createHttpServer(
  lab: Lab,
  options: HttpOptions,
): { server: http.Server; gateway: WsGateway; bridge: BridgeGateway } {
  const gateway = new WsGateway(lab);
  const bridge = new BridgeGateway(lab, { labListeners: () => listenerOf(server), ...options.bridge });
  const guard = new RequestGuard(() => server.address(), options.allowHosts);
  const staticFiles = createStaticFiles(options.webRoot);
  // Every request passes the Host/Origin guard first, then (in a classroom) the join gate, then the routes.
  const server: http.Server = http.createServer((req, res) => {
    const verdict = guard.check(req, false);
    const dest = req.headers['sec-fetch-dest'] === 'worker' ? 'worker' : 'other';
    for (const [name, value] of Object.entries(
      securityHeaders(verdict.allow ? (req.headers.host ?? null) : null, dest),
    ))
      res.setHeader(name, value);
    if (!verdict.allow) return refuseHttp(res, verdict);
    handle(lab, options, staticFiles, req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: wireError('E_INTERNAL', String(err)) });
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const verdict = guard.check(req, true);
    if (!verdict.allow) return refuseUpgrade(socket, verdict);
    const classroom = options.classroom;
    let hold: ((ws: WebSocket) => void) | undefined;
    if (classroom) {
      const gate = classroom.gate(req);
      if (gate.kind !== 'allow') return classroom.refuseUpgrade(socket, gate);
      if (classroom.handleUpgrade(req, socket, head, gate.visitor)) return;
      // A student's sockets end with their session (kick, expiry), not only their next request.
      hold = (ws) => classroom.holdLabSocket(gate.visitor, ws);
    }
    const pathname = new URL(req.url ?? '/', 'http://lab').pathname;
    if (pathname === '/ws') gateway.handleUpgrade(req, socket, head, verdict.asker, hold);
    else if (pathname === BRIDGE_PATH) bridge.handleUpgrade(req, socket, head, hold);
    else socket.destroy();
  });
  return { server, gateway, bridge };
}

/** The lab's own web listener, which no snippet may shadow on the other loopback address. */
function listenerOf(server: http.Server): { host: string; port: number }[] {
  const a = server.address();
  return typeof a === 'object' && a ? [{ host: a.address, port: a.port }] : [];
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function handle(
  lab: Lab,
  options: HttpOptions,
  staticFiles: StaticHandler,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  if (options.classroom && (await options.classroom.handle(req, res, options.classroom.gate(req))) === 'answered')
    return;
  const url = new URL(req.url ?? '/', 'http://lab');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, { error: wireError('E_METHOD', 'only GET') });
    return;
  }
  if (url.pathname === '/api/status') return sendJson(res, 200, lab.status());
  if (url.pathname === '/api/lessons') {
    return sendJson(res, 200, await listLessonSummaries(options.lessonsDir));
  }
  const lessonMatch = /^\/api\/lessons\/([0-9]{2}-[a-z0-9-]+)$/.exec(url.pathname);
  if (lessonMatch) {
    try {
      return sendJson(res, 200, await loadLesson(options.lessonsDir, lessonMatch[1]!));
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      return sendJson(res, missing ? 404 : 500, {
        error: wireError(missing ? 'E_NO_SUCH_LESSON' : 'E_BAD_LESSON', (err as Error).message),
      });
    }
  }
  if (url.pathname.startsWith('/api/')) return sendJson(res, 404, { error: wireError('E_NOT_FOUND', url.pathname) });
  await staticFiles(req, res);
}
