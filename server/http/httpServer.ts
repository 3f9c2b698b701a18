// The lab's HTTP server: JSON API under /api, the WebSocket upgrade at /ws, the built web app for everything else.
import http from 'node:http';
import type { Lab } from '../lab.js';
import { listLessonSummaries, loadLesson } from '../lessons/lessonCatalog.js';
import { BridgeGateway, type BridgeGatewayOptions } from '../bridge/bridgeGateway.js';
import { BRIDGE_PATH } from '../../core/protocol/bridge.js';
import { wireError } from '../../core/protocol/errors.js';
import { WsGateway } from '../ws/wsGateway.js';
import { serveStatic } from './staticFiles.js';
import type { Classroom } from '../classroom/classroom.js';

export interface HttpOptions {
  webRoot: string;
  lessonsDir: string;
  bridge?: BridgeGatewayOptions;
  /** Classroom mode: browsers on other computers join with a code first (server/classroom). */
  classroom?: Classroom;
}

export function createHttpServer(lab: Lab, options: HttpOptions): { server: http.Server; gateway: WsGateway; bridge: BridgeGateway } {
  const gateway = new WsGateway(lab);
  const bridge = new BridgeGateway(lab, options.bridge);
  const server = http.createServer((req, res) => {
    handle(lab, options, req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: wireError('E_INTERNAL', String(err)) });
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const classroom = options.classroom;
    if (classroom) {
      const verdict = classroom.gate(req);
      if (verdict.kind !== 'allow') return classroom.refuseUpgrade(socket, verdict);
      if (classroom.handleUpgrade(req, socket, head, verdict.visitor)) return;
    }
    const pathname = new URL(req.url ?? '/', 'http://lab').pathname;
    if (pathname === '/ws') gateway.handleUpgrade(req, socket, head);
    else if (pathname === BRIDGE_PATH) bridge.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  return { server, gateway, bridge };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function handle(lab: Lab, options: HttpOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (options.classroom && (await options.classroom.handle(req, res, options.classroom.gate(req))) === 'answered') return;
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
      return sendJson(res, missing ? 404 : 500, { error: wireError(missing ? 'E_NO_SUCH_LESSON' : 'E_BAD_LESSON', (err as Error).message) });
    }
  }
  if (url.pathname.startsWith('/api/')) return sendJson(res, 404, { error: wireError('E_NOT_FOUND', url.pathname) });
  await serveStatic(options.webRoot, url.pathname, res);
}
