// The bridge's address policy: loopback only, no privileged listeners, dials only to demo ports and own listeners.
import { describe, expect, it } from 'vitest';
import { parseHostPort } from '../../core/protocol/bridge.js';
import { checkDial, checkListen, shadowedBy, type DialScope } from './bridgePolicy.js';

const scope: DialScope = {
  demoEndpoints: [
    { host: '127.0.0.1', port: 7401 },
    { host: '127.0.0.1', port: 7402 },
  ],
  ownEndpoints: [{ host: '127.0.0.1', port: 40000 }],
};
const code = (v: ReturnType<typeof checkDial>) => (v.ok ? 'ok' : v.error.code);

describe('parseHostPort', () => {
  it('reads Go address forms', () => {
    expect(parseHostPort('127.0.0.1:7401')).toEqual({ host: '127.0.0.1', port: 7401 });
    expect(parseHostPort('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(parseHostPort(':0')).toEqual({ host: '', port: 0 });
    expect(parseHostPort('localhost:9000')).toEqual({ host: 'localhost', port: 9000 });
  });
  it('rejects what is not host:port', () => {
    for (const bad of [
      '127.0.0.1',
      '127.0.0.1:',
      '127.0.0.1:70000',
      '::1:80',
      'a b:1',
      '',
      '127.0.0.1:-1',
      '[::1]80',
    ]) {
      expect(parseHostPort(bad), bad).toBeNull();
    }
  });
});

describe('checkListen', () => {
  it('maps loopback names and the empty host to a loopback address', () => {
    expect(checkListen(':0')).toEqual({ ok: true, host: '127.0.0.1', port: 0 });
    expect(checkListen('localhost:9000')).toEqual({ ok: true, host: '127.0.0.1', port: 9000 });
    expect(checkListen('[::1]:0')).toEqual({ ok: true, host: '::1', port: 0 });
  });
  it('refuses other interfaces, privileged ports and bad addresses with stable codes', () => {
    const code = (a: string) => {
      const v = checkListen(a);
      return v.ok ? 'ok' : v.error.code;
    };
    expect(code('0.0.0.0:9000')).toBe('E_BRIDGE_NOT_LOOPBACK');
    expect(code('192.168.1.2:9000')).toBe('E_BRIDGE_NOT_LOOPBACK');
    expect(code('example.com:9000')).toBe('E_BRIDGE_NOT_LOOPBACK');
    expect(code('127.0.0.1:80')).toBe('E_BRIDGE_PRIVILEGED_PORT');
    expect(code('nonsense')).toBe('E_BRIDGE_BAD_ADDRESS');
  });
});

describe('checkDial', () => {
  it('allows demo ports and the session’s own listeners on loopback', () => {
    expect(checkDial('127.0.0.1:7401', scope)).toEqual({ ok: true, host: '127.0.0.1', port: 7401 });
    expect(checkDial('localhost:40000', scope)).toEqual({ ok: true, host: '127.0.0.1', port: 40000 });
  });
  it('refuses any other port and says which ports are allowed', () => {
    const v = checkDial('127.0.0.1:22', scope);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.error.code).toBe('E_BRIDGE_DIAL_NOT_ALLOWED');
    expect(v.error.detail).toContain('127.0.0.1:7401, 127.0.0.1:7402');
    expect(v.error.detail).toContain('127.0.0.1:40000');
    expect(v.error.message.zh.length).toBeGreaterThan(0);
  });
  it('refuses port 0 and non-loopback hosts even for allowed ports', () => {
    expect(checkDial('127.0.0.1:0', scope).ok).toBe(false);
    const v = checkDial('10.0.0.1:7401', scope);
    expect(!v.ok && v.error.code).toBe('E_BRIDGE_NOT_LOOPBACK');
  });
});

describe('checkDial: exactly the endpoints the session owns (issue 12, finding 1)', () => {
  it('a listener on [::1]:P does not open 127.0.0.1:P (whatever else listens there), nor the reverse', () => {
    const own: DialScope = { demoEndpoints: [], ownEndpoints: [{ host: '::1', port: 5432 }] };
    expect(code(checkDial('[::1]:5432', own))).toBe('ok');
    expect(code(checkDial('127.0.0.1:5432', own))).toBe('E_BRIDGE_DIAL_NOT_ALLOWED');
    expect(code(checkDial('localhost:5432', own))).toBe('E_BRIDGE_DIAL_NOT_ALLOWED');
    const v4: DialScope = { demoEndpoints: [], ownEndpoints: [{ host: '127.0.0.1', port: 7400 }] };
    expect(code(checkDial('[::1]:7400', v4))).toBe('E_BRIDGE_DIAL_NOT_ALLOWED');
  });
  it('a demo endpoint is dialled on the address it listens on; a wildcard demo answers on loopback', () => {
    expect(code(checkDial('[::1]:7401', scope))).toBe('E_BRIDGE_DIAL_NOT_ALLOWED');
    const wild: DialScope = {
      demoEndpoints: [
        { host: '0.0.0.0', port: 7401 },
        { host: '::', port: 7402 },
      ],
      ownEndpoints: [],
    };
    expect(code(checkDial('127.0.0.1:7401', wild))).toBe('ok');
    expect(code(checkDial('[::1]:7401', wild))).toBe('E_BRIDGE_DIAL_NOT_ALLOWED');
    expect(code(checkDial('[::1]:7402', wild))).toBe('ok');
    expect(code(checkDial('127.0.0.1:7402', wild))).toBe('ok');
  });
});

describe('checkListen: no listener beside a port held on the other loopback address', () => {
  const listen = (a: string, held: { host: string; port: number }[]) => {
    const v = checkListen(a, { held });
    return v.ok ? 'ok' : v.error.code;
  };
  it('refuses [::1]:P when 127.0.0.1:P is held (the lab’s web port, a database, another session), and the reverse', () => {
    expect(listen('[::1]:7400', [{ host: '127.0.0.1', port: 7400 }])).toBe('E_BRIDGE_PORT_SHADOWED');
    expect(listen('127.0.0.1:5432', [{ host: '::1', port: 5432 }])).toBe('E_BRIDGE_PORT_SHADOWED');
    expect(listen('localhost:5432', [{ host: '::1', port: 5432 }])).toBe('E_BRIDGE_PORT_SHADOWED');
  });
  it('refuses a port a wildcard listener holds, on either address', () => {
    expect(listen('[::1]:7400', [{ host: '0.0.0.0', port: 7400 }])).toBe('E_BRIDGE_PORT_SHADOWED');
    expect(listen('127.0.0.1:7400', [{ host: '::', port: 7400 }])).toBe('E_BRIDGE_PORT_SHADOWED');
  });
  it('leaves the same address to the kernel (EADDRINUSE), and ignores other ports and non-loopback addresses', () => {
    expect(listen('127.0.0.1:7400', [{ host: '127.0.0.1', port: 7400 }])).toBe('ok');
    expect(listen('[::1]:7401', [{ host: '127.0.0.1', port: 7400 }])).toBe('ok');
    expect(listen('[::1]:7400', [{ host: '192.168.1.20', port: 7400 }])).toBe('ok');
    expect(listen('[::1]:0', [{ host: '127.0.0.1', port: 7400 }])).toBe('ok');
  });
  it('shadowedBy names the holder, for a port the kernel picked', () => {
    expect(shadowedBy('::1', 41000, { held: [{ host: '127.0.0.1', port: 41000 }] })).toEqual({
      host: '127.0.0.1',
      port: 41000,
    });
    expect(shadowedBy('::1', 41000, { held: [{ host: '::ffff:127.0.0.1', port: 41000 }] })).toEqual({
      host: '::ffff:127.0.0.1',
      port: 41000,
    });
    expect(shadowedBy('::1', 41000, { held: [] })).toBeNull();
  });
});
