// The request guard as a pure function: (who asks, what they ask, what exists) → allow or refuse with a code.
import { describe, expect, it } from 'vitest';
import {
  decideRequest,
  isLoopbackAddress,
  servedHosts,
  splitHost,
  type GuardRequest,
  type GuardScope,
} from './requestGuard.js';

const PORT = 7400;
const local: GuardScope = { port: PORT, hosts: servedHosts('127.0.0.1', ['127.0.0.1', '::1', '192.168.1.20'], []) };
const lan: GuardScope = {
  port: PORT,
  hosts: servedHosts('0.0.0.0', ['127.0.0.1', '::1', '192.168.1.20', 'fe80::1%eth0'], ['lab.school']),
};

function ask(over: Partial<GuardRequest>): GuardRequest {
  return {
    remoteAddress: '127.0.0.1',
    host: `127.0.0.1:${PORT}`,
    origin: `http://127.0.0.1:${PORT}`,
    method: 'GET',
    path: '/api/status',
    upgrade: false,
    ...over,
  };
}
const code = (req: GuardRequest, scope: GuardScope = local) => {
  const v = decideRequest(req, scope);
  return v.allow ? `allow:${v.asker}` : `${v.status}:${v.error.code}`;
};

describe('splitHost', () => {
  it('reads names, IPv4, bracketed IPv6, with or without a port, in lower case', () => {
    expect(splitHost('127.0.0.1:7400')).toEqual({ name: '127.0.0.1', port: 7400 });
    expect(splitHost('[::1]:7400')).toEqual({ name: '::1', port: 7400 });
    expect(splitHost('LocalHost')).toEqual({ name: 'localhost', port: null });
    expect(splitHost('lab.school.:80')).toEqual({ name: 'lab.school', port: 80 });
  });
  it('rejects what is not a host', () => {
    for (const bad of ['', 'a b', 'user@host:1', 'host:99999', '::1:7400', 'host/path', '[::1', 'host:'])
      expect(splitHost(bad), bad).toBeNull();
  });
});

describe('isLoopbackAddress', () => {
  it('knows 127/8, ::1 and the IPv4-mapped forms, and nothing else', () => {
    for (const a of ['127.0.0.1', '127.9.8.7', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['192.168.1.20', '::ffff:10.0.0.1', '0.0.0.0', '::', undefined, '', 'localhost', '128.0.0.1'])
      expect(isLoopbackAddress(a), String(a)).toBe(false);
  });
});

describe('servedHosts', () => {
  it('bound to loopback: the loopback names and that address only', () => {
    expect([...servedHosts('127.0.0.1', ['192.168.1.20'], [])].sort()).toEqual(['127.0.0.1', '::1', 'localhost']);
  });
  it('bound to every interface: each interface address (without zone), plus the instructor’s names', () => {
    expect(lan.hosts.has('192.168.1.20')).toBe(true);
    expect(lan.hosts.has('fe80::1')).toBe(true);
    expect(lan.hosts.has('lab.school')).toBe(true);
    expect(local.hosts.has('192.168.1.20')).toBe(false);
  });
  it('bound to one LAN address: that address', () => {
    expect(servedHosts('192.168.1.20', [], []).has('192.168.1.20')).toBe(true);
    expect(servedHosts('[::1]', [], []).has('::1')).toBe(true);
  });
});

describe('decideRequest: Host', () => {
  it('allows the lab’s own names on its own port', () => {
    for (const host of [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `[::1]:${PORT}`, `LOCALHOST:${PORT}`]) {
      expect(code(ask({ host, origin: `http://${host}` })), host).toBe('allow:local');
    }
  });
  it('refuses a rebound name even with a matching Origin (DNS rebinding)', () => {
    expect(code(ask({ host: `evil.example:${PORT}`, origin: `http://evil.example:${PORT}` }))).toBe(
      '403:E_HOST_NOT_ALLOWED',
    );
    expect(code(ask({ host: `evil.example:${PORT}`, origin: undefined }))).toBe('403:E_HOST_NOT_ALLOWED');
    expect(code(ask({ host: `evil.example:${PORT}`, upgrade: true, path: '/ws' }))).toBe('403:E_HOST_NOT_ALLOWED');
  });
  it('refuses another port, a missing or malformed Host, and a LAN address the lab is not bound to', () => {
    expect(code(ask({ host: '127.0.0.1:8080' }))).toBe('403:E_HOST_NOT_ALLOWED');
    expect(code(ask({ host: '127.0.0.1' }))).toBe('403:E_HOST_NOT_ALLOWED'); // port 80 implied
    expect(code(ask({ host: undefined }))).toBe('400:E_HOST_NOT_ALLOWED');
    expect(code(ask({ host: 'a b' }))).toBe('400:E_HOST_NOT_ALLOWED');
    expect(code(ask({ host: `192.168.1.20:${PORT}`, origin: undefined }))).toBe('403:E_HOST_NOT_ALLOWED');
  });
  it('a classroom lab answers to its LAN address and the names passed with --allow-host', () => {
    expect(
      code(
        ask({ remoteAddress: '192.168.1.31', host: `192.168.1.20:${PORT}`, origin: `http://192.168.1.20:${PORT}` }),
        lan,
      ),
    ).toBe('allow:remote');
    expect(
      code(
        ask({ remoteAddress: '192.168.1.31', host: `lab.school:${PORT}`, origin: `http://lab.school:${PORT}` }),
        lan,
      ),
    ).toBe('allow:remote');
    expect(code(ask({ host: `other.school:${PORT}`, origin: `http://other.school:${PORT}` }), lan)).toBe(
      '403:E_HOST_NOT_ALLOWED',
    );
  });
});

describe('decideRequest: Origin', () => {
  it('refuses a page of another site on the API and on both WebSockets', () => {
    for (const [path, upgrade] of [
      ['/api/status', false],
      ['/ws', true],
      ['/ws/bridge', true],
    ] as const) {
      expect(code(ask({ path, upgrade, origin: 'http://evil.example' })), path).toBe('403:E_ORIGIN_NOT_ALLOWED');
    }
  });
  it('checks scheme, host and port of the origin', () => {
    expect(code(ask({ origin: `https://127.0.0.1:${PORT}` }))).toBe('403:E_ORIGIN_NOT_ALLOWED');
    expect(code(ask({ origin: `http://127.0.0.1:${PORT + 1}` }))).toBe('403:E_ORIGIN_NOT_ALLOWED');
    expect(code(ask({ origin: 'http://127.0.0.1' }))).toBe('403:E_ORIGIN_NOT_ALLOWED');
    expect(code(ask({ origin: 'null' }))).toBe('403:E_ORIGIN_NOT_ALLOWED');
    expect(code(ask({ origin: `http://127.0.0.1:${PORT}/path` }))).toBe('403:E_ORIGIN_NOT_ALLOWED');
    expect(code(ask({ origin: `http://[::1]:${PORT}`, upgrade: true, path: '/ws' }))).toBe('allow:local');
    // Another of the lab's own names is the lab too (a tab on localhost talking to 127.0.0.1).
    expect(code(ask({ origin: `http://localhost:${PORT}`, upgrade: true, path: '/ws' }))).toBe('allow:local');
  });
  it('without Origin: WebSocket upgrades and changing methods are refused, GET and HEAD are allowed', () => {
    expect(code(ask({ origin: undefined, upgrade: true, path: '/ws' }))).toBe('403:E_ORIGIN_REQUIRED');
    expect(code(ask({ origin: undefined, upgrade: true, path: '/ws/bridge' }))).toBe('403:E_ORIGIN_REQUIRED');
    expect(code(ask({ origin: undefined, method: 'POST' }))).toBe('403:E_ORIGIN_REQUIRED');
    expect(code(ask({ origin: undefined, method: 'DELETE' }))).toBe('403:E_ORIGIN_REQUIRED');
    expect(code(ask({ origin: undefined, method: 'GET' }))).toBe('allow:local');
    expect(code(ask({ origin: undefined, method: 'HEAD', path: '/' }))).toBe('allow:local');
  });
  it('says who asks: the lab’s own machine or another one', () => {
    expect(code(ask({ remoteAddress: '::ffff:127.0.0.1' }))).toBe('allow:local');
    expect(code(ask({ remoteAddress: '::1' }))).toBe('allow:local');
    expect(code(ask({ remoteAddress: '192.168.1.31', host: `192.168.1.20:${PORT}`, origin: undefined }), lan)).toBe(
      'allow:remote',
    );
    expect(code(ask({ remoteAddress: undefined }))).toBe('allow:remote');
  });
  it('every refusal carries text in both languages', () => {
    const v = decideRequest(ask({ origin: 'http://evil.example' }), local);
    expect(!v.allow && v.error.message.zh.length > 0 && v.error.message.en.length > 0).toBe(true);
  });
});
