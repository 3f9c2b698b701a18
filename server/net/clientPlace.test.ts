import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isOnLabMachine, plainAddress } from './clientPlace.js';

describe('where a client is', () => {
  const machine = new Set(['192.168.1.20', 'fe80::1', '10.213.0.1']);

  it('treats loopback in every spelling as the lab machine', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'])
      expect(isOnLabMachine(a, new Set())).toBe(true);
  });

  it("treats the machine's own addresses as the lab machine, and any other address as another computer", () => {
    expect(isOnLabMachine('::ffff:192.168.1.20', machine)).toBe(true);
    expect(isOnLabMachine('fe80::1%eth0', machine)).toBe(true);
    expect(isOnLabMachine('10.213.0.2', machine)).toBe(false);
    expect(isOnLabMachine('::ffff:192.168.1.21', machine)).toBe(false);
    expect(isOnLabMachine(undefined, machine)).toBe(false);
  });

  it('unwraps v4-mapped addresses and zone indexes', () => {
    expect(plainAddress('::FFFF:10.0.0.7')).toBe('10.0.0.7');
    expect(plainAddress('fe80::1%eth0')).toBe('fe80::1');
  });

  it('knows which listen hosts only this machine can reach', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.20']) expect(isLoopbackHost(h)).toBe(false);
  });
});
