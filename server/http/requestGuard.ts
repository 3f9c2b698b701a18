// The first thing every HTTP request and WebSocket upgrade goes through: who may ask the lab for what, decided from
// the request's remote address, Host, Origin, method and path against the addresses the lab serves. Pure core
// (decideRequest, servedHosts) plus a thin shell that answers a refusal on an HTTP response or a raw upgrade socket.
//
// The decision, in order:
// 1. Host must name this lab: a loopback name (127.0.0.1, ::1, localhost), an address the lab is bound to (every
//    interface address when bound to 0.0.0.0 or ::), or a name the instructor passed with --allow-host; and the
//    lab's own port. Anything else is refused (E_HOST_NOT_ALLOWED): a page on evil.example that rebinds its name to
//    127.0.0.1 still sends `Host: evil.example`, so it never reaches the lab (DNS rebinding).
// 2. Origin, when present, must be the lab itself: http, a served host, the lab's port (E_ORIGIN_NOT_ALLOWED).
//    A web page a student visits cannot drive /ws, /ws/bridge or the API through the student's browser.
// 3. Origin missing: a WebSocket upgrade is refused (every browser sends Origin on one; E_ORIGIN_REQUIRED);
//    GET and HEAD are allowed (navigations, same-origin fetches and curl or the CLI send none, and they only read);
//    any other method is refused (browsers always send Origin on them, so only a non-browser client lacks it).
// Classroom rules (join code, cookie) extend this function: it is the single gate.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { Duplex } from 'node:stream';
import { wireError, type ErrorCode, type WireError } from '../../core/protocol/errors.js';
import { isLoopback } from '../net/clientPlace.js';

/** Who asks and what: everything the decision reads from a request. */
export interface GuardRequest {
  /** The peer's IP address as the socket reports it (may be IPv4-mapped, "::ffff:127.0.0.1"). */
  remoteAddress: string | undefined;
  host: string | undefined;
  origin: string | undefined;
  method: string;
  path: string;
  /** True for a WebSocket upgrade. */
  upgrade: boolean;
}

/** What exists: the lab's port and every host name it answers to (lower case, IPv6 without brackets). */
export interface GuardScope {
  port: number;
  hosts: ReadonlySet<string>;
}

/** Where the request comes from: the lab's own machine, or another machine (a classroom LAN). */
export type Asker = 'local' | 'remote';

export type GuardVerdict = { allow: true; asker: Asker } | { allow: false; status: 400 | 403; error: WireError };

export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && isLoopback(address);
}

/** Splits a Host header or an origin's host ("[::1]:7400", "Lab.local") into a lower-case name and a port. */
export function splitHost(value: string): { name: string; port: number | null } | null {
  const m = /^(?:\[([0-9a-f:.]+)\]|([^\s:[\]/@]+))(?::(\d{1,5}))?$/i.exec(value);
  if (!m) return null;
  const port = m[3] === undefined ? null : Number(m[3]);
  if (port !== null && port > 65535) return null;
  const name = (m[1] ?? m[2]!).toLowerCase().replace(/\.$/, '');
  return { name, port };
}

function refuse(status: 400 | 403, code: ErrorCode, detail: string): GuardVerdict {
  return { allow: false, status, error: wireError(code, detail) };
}

/** The allow / refuse decision for one request. Pure. */
export function decideRequest(req: GuardRequest, scope: GuardScope): GuardVerdict {
  const host = req.host === undefined ? null : splitHost(req.host);
  if (!host) return refuse(400, 'E_HOST_NOT_ALLOWED', `Host header ${JSON.stringify(req.host ?? '')}`);
  if (!scope.hosts.has(host.name) || (host.port ?? 80) !== scope.port) {
    return refuse(403, 'E_HOST_NOT_ALLOWED', `Host ${req.host} is not an address of this lab`);
  }
  if (req.origin === undefined) {
    if (req.upgrade) return refuse(403, 'E_ORIGIN_REQUIRED', `WebSocket ${req.path} without Origin`);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(403, 'E_ORIGIN_REQUIRED', `${req.method} ${req.path} without Origin`);
  } else if (!isLabOrigin(req.origin, scope)) {
    return refuse(403, 'E_ORIGIN_NOT_ALLOWED', `Origin ${req.origin} is not this lab`);
  }
  return { allow: true, asker: isLoopbackAddress(req.remoteAddress) ? 'local' : 'remote' };
}

function isLabOrigin(origin: string, scope: GuardScope): boolean {
  // An origin is exactly scheme://host[:port]; "null" (sandboxed frames, file:) and anything with a path are not.
  const m = /^http:\/\/([^/]+)$/.exec(origin);
  if (!m) return false;
  const host = splitHost(m[1]!);
  return host !== null && scope.hosts.has(host.name) && (host.port ?? 80) === scope.port;
}

/**
 * Every host name the lab answers to: the loopback names, the bound address (each interface's address when bound
 * to every interface), and the instructor's extra names. Pure: the interface addresses are passed in.
 */
export function servedHosts(
  bound: string,
  interfaceAddresses: readonly string[],
  allowHosts: readonly string[],
): Set<string> {
  const hosts = new Set(LOOPBACK_HOSTS);
  const b = bound.toLowerCase().replace(/^\[|\]$/g, '');
  if (b === '0.0.0.0' || b === '::' || b === '')
    for (const a of interfaceAddresses) hosts.add(a.toLowerCase().replace(/%.*$/, ''));
  else hosts.add(b);
  for (const h of allowHosts) hosts.add(h.toLowerCase().replace(/\.$/, ''));
  return hosts;
}

/** The request's fields as the decision reads them. */
export function guardRequestOf(req: IncomingMessage, upgrade: boolean): GuardRequest {
  const origin = req.headers.origin;
  return {
    remoteAddress: req.socket.remoteAddress,
    host: req.headers.host,
    origin: typeof origin === 'string' ? origin : undefined,
    method: req.method ?? 'GET',
    path: new URL(req.url ?? '/', 'http://lab').pathname,
    upgrade,
  };
}

/** The guard of one listening server: its scope is read from the socket it is bound to. */
export class RequestGuard {
  private scope: GuardScope | null = null;
  private scopeAt = 0;

  constructor(
    private readonly address: () => AddressInfo | string | null,
    private readonly allowHosts: readonly string[] = [],
    private readonly now: () => number = () => performance.now(),
  ) {}

  check(req: IncomingMessage, upgrade: boolean): GuardVerdict {
    const ask = guardRequestOf(req, upgrade);
    const verdict = decideRequest(ask, this.currentScope(false));
    // A refused Host may be a LAN address the machine got since the scope was read: read it again, at most every 5 s.
    if (!verdict.allow && verdict.error.code === 'E_HOST_NOT_ALLOWED' && this.now() - this.scopeAt > RESCAN_MS) {
      return decideRequest(ask, this.currentScope(true));
    }
    return verdict;
  }

  private currentScope(fresh: boolean): GuardScope {
    if (this.scope && !fresh) return this.scope;
    const addr = this.address();
    if (typeof addr !== 'object' || !addr) return { port: -1, hosts: new Set() }; // not listening: nothing answers
    const interfaces = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
    this.scope = { port: addr.port, hosts: servedHosts(addr.address, interfaces, this.allowHosts) };
    this.scopeAt = this.now();
    return this.scope;
  }
}

const RESCAN_MS = 5000;

type Refusal = Extract<GuardVerdict, { allow: false }>;

/** Answers a refused HTTP request with the code as JSON. */
export function refuseHttp(res: ServerResponse, verdict: Refusal): void {
  res.writeHead(verdict.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: verdict.error }));
}

/** Answers a refused WebSocket upgrade on the raw socket, before any WebSocket exists. */
export function refuseUpgrade(socket: Duplex, verdict: Refusal): void {
  const body = JSON.stringify({ error: verdict.error });
  const reason = verdict.status === 400 ? 'Bad Request' : 'Forbidden';
  socket.end(
    `HTTP/1.1 ${verdict.status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
