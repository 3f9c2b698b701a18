// The bridge's address policy: loopback only, no privileged listeners, dials only to demo ports and own listeners.
import { describe, expect, it } from 'vitest';
import { parseHostPort } from '../../core/protocol/bridge.js';
import { checkDial, checkListen } from './bridgePolicy.js';

const scope = { demoPorts: new Set([7401, 7402]), ownPorts: new Set([40000]) };

describe('parseHostPort', () => {
  it('reads Go address forms', () => {
    expect(parseHostPort('127.0.0.1:7401')).toEqual({ host: '127.0.0.1', port: 7401 });
    expect(parseHostPort('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(parseHostPort(':0')).toEqual({ host: '', port: 0 });
    expect(parseHostPort('localhost:9000')).toEqual({ host: 'localhost', port: 9000 });
  });
  it('rejects what is not host:port', () => {
    for (const bad of ['127.0.0.1', '127.0.0.1:', '127.0.0.1:70000', '::1:80', 'a b:1', '', '127.0.0.1:-1', '[::1]80']) {
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
    expect(v.error.detail).toContain('7401, 7402');
    expect(v.error.detail).toContain('40000');
    expect(v.error.message.zh.length).toBeGreaterThan(0);
  });
  it('refuses port 0 and non-loopback hosts even for allowed ports', () => {
    expect(checkDial('127.0.0.1:0', scope).ok).toBe(false);
    const v = checkDial('10.0.0.1:7401', scope);
    expect(!v.ok && v.error.code).toBe('E_BRIDGE_NOT_LOOPBACK');
  });
});
