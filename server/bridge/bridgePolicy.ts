// What a snippet may do with the bridge, decided from addresses alone: loopback only, no privileged ports, dials only
// to the lab's demo endpoints or the session's own listeners (same address and port), and no listener that shadows
// a port held on the other loopback address. Pure; the refusals carry stable codes.
import { wireError, type WireError } from '../../core/protocol/errors.js';
import { parseHostPort } from '../../core/protocol/bridge.js';
import { isLoopback } from '../net/clientPlace.js';

export type Verdict = { ok: true; host: string; port: number } | { ok: false; error: WireError };

/** An address and port as the kernel shows them (IPv6 without brackets). */
export interface HostPort {
  host: string;
  port: number;
}

/** The endpoints a session may dial. */
export interface DialScope {
  /** The lab's demo listeners (their host may be a wildcard, 0.0.0.0 or ::). */
  demoEndpoints: readonly HostPort[];
  /** The listeners this session holds, each on the exact address it was bound to. */
  ownEndpoints: readonly HostPort[];
}

/** TCP ports held on this machine when a session asks to listen: every listener in the kernel's table, and the lab's own. */
export interface ListenScope {
  held: readonly HostPort[];
}

/** Host names a snippet may use, and the address the lab really uses for each. */
const LOOPBACK: Readonly<Record<string, string>> = {
  '127.0.0.1': '127.0.0.1',
  localhost: '127.0.0.1',
  // Go's ":0" means every interface; the lab never exposes a student's listener beyond loopback.
  '': '127.0.0.1',
  '::1': '::1',
};

function loopbackHost(address: string): Verdict {
  const hp = parseHostPort(address);
  if (!hp) return { ok: false, error: wireError('E_BRIDGE_BAD_ADDRESS', JSON.stringify(address)) };
  const host = Object.hasOwn(LOOPBACK, hp.host.toLowerCase()) ? LOOPBACK[hp.host.toLowerCase()] : undefined;
  if (host === undefined)
    return { ok: false, error: wireError('E_BRIDGE_NOT_LOOPBACK', `${hp.host} is not a loopback address`) };
  return { ok: true, host, port: hp.port };
}

/** The loopback addresses a listener bound to `host` answers on. */
function reachableOn(host: string): string[] {
  const h = host.toLowerCase().replace(/^::ffff:/, '');
  if (h === '0.0.0.0') return ['127.0.0.1'];
  if (h === '::' || h === '') return ['127.0.0.1', '::1']; // a dual-stack wildcard takes IPv4 too
  return [h];
}

const name = (e: HostPort) => (e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`);

/**
 * Where a snippet may listen. With `scope`, a port held on the other loopback address (or a wildcard) is refused:
 * a listener on [::1]:P beside 127.0.0.1:P would take the clients that resolve localhost to ::1 from whoever holds
 * P, the lab's own web port included.
 */
export function checkListen(address: string, scope?: ListenScope): Verdict {
  const v = loopbackHost(address);
  if (!v.ok) return v;
  if (v.port !== 0 && v.port < 1024)
    return { ok: false, error: wireError('E_BRIDGE_PRIVILEGED_PORT', `port ${v.port}`) };
  if (scope && v.port !== 0) {
    const shadowed = shadowedBy(v.host, v.port, scope);
    if (shadowed)
      return { ok: false, error: wireError('E_BRIDGE_PORT_SHADOWED', `port ${v.port} is held on ${name(shadowed)}`) };
  }
  return v;
}

/** The listener that a new one on host:port would shadow or be shadowed by, if any. */
export function shadowedBy(host: string, port: number, scope: ListenScope): HostPort | null {
  for (const h of scope.held) {
    if (h.port !== port) continue;
    const on = reachableOn(h.host);
    const wildcard = on.length > 1 || on[0] !== h.host.toLowerCase().replace(/^::ffff:/, '');
    // A wildcard, or another loopback address than ours: the port would be held on both loopback addresses.
    // (The same address is the kernel's to refuse, EADDRINUSE.)
    if (wildcard || on.some((a) => a !== host && isLoopback(a))) return h;
  }
  return null;
}

export function checkDial(address: string, scope: DialScope): Verdict {
  const v = loopbackHost(address);
  if (!v.ok) return v;
  const own = scope.ownEndpoints.some((e) => e.port === v.port && e.host === v.host);
  const demo = scope.demoEndpoints.some((e) => e.port === v.port && reachableOn(e.host).includes(v.host));
  if (v.port === 0 || (!own && !demo)) {
    return {
      ok: false,
      error: wireError('E_BRIDGE_DIAL_NOT_ALLOWED', `${name(v)} is not allowed; ${describeScope(scope)}`),
    };
  }
  return v;
}

function describeScope(scope: DialScope): string {
  const list = (endpoints: readonly HostPort[]) =>
    endpoints.length === 0
      ? 'none'
      : endpoints
          .map((e) => ({ ...e, host: reachableOn(e.host)[0]! }))
          .sort((a, b) => a.port - b.port)
          .map(name)
          .join(', ');
  return `demo endpoints: ${list(scope.demoEndpoints)}; this snippet's listeners: ${list(scope.ownEndpoints)}`;
}
