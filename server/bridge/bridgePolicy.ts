// What a snippet may do with the bridge, decided from an address alone: loopback only, no privileged ports, and
// dials only to the lab's demo ports or the session's own listeners. Pure; the refusals carry stable codes.
import { wireError, type WireError } from '../../core/protocol/errors.js';
import { parseHostPort } from '../../core/protocol/bridge.js';

export type Verdict = { ok: true; host: string; port: number } | { ok: false; error: WireError };

/** The ports a session may dial. */
export interface DialScope {
  demoPorts: ReadonlySet<number>;
  ownPorts: ReadonlySet<number>;
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
  if (host === undefined) return { ok: false, error: wireError('E_BRIDGE_NOT_LOOPBACK', `${hp.host} is not a loopback address`) };
  return { ok: true, host, port: hp.port };
}

export function checkListen(address: string): Verdict {
  const v = loopbackHost(address);
  if (!v.ok) return v;
  if (v.port !== 0 && v.port < 1024) return { ok: false, error: wireError('E_BRIDGE_PRIVILEGED_PORT', `port ${v.port}`) };
  return v;
}

export function checkDial(address: string, scope: DialScope): Verdict {
  const v = loopbackHost(address);
  if (!v.ok) return v;
  if (v.port === 0 || (!scope.demoPorts.has(v.port) && !scope.ownPorts.has(v.port))) {
    return { ok: false, error: wireError('E_BRIDGE_DIAL_NOT_ALLOWED', `port ${v.port} is not allowed; ${describeScope(scope)}`) };
  }
  return v;
}

function describeScope(scope: DialScope): string {
  const list = (ports: ReadonlySet<number>) => (ports.size === 0 ? 'none' : [...ports].sort((a, b) => a - b).join(', '));
  return `demo ports: ${list(scope.demoPorts)}; this snippet's listeners: ${list(scope.ownPorts)}`;
}
