// What a bridge session's capture and poller publish: its own connections, up to the cap, never another session's.
import { describe, expect, it } from 'vitest';
import { BridgeCaptureScope, connectionKey } from './bridgeCaptureScope.js';

describe('BridgeCaptureScope', () => {
  it('keys a connection the same way from either end', () => {
    expect(connectionKey('127.0.0.1:5000', '127.0.0.1:7100')).toBe(connectionKey('127.0.0.1:7100', '127.0.0.1:5000'));
  });

  it('follows connections to its listeners and from its dials, not other traffic on a shared demo port', () => {
    const s = new BridgeCaptureScope(16);
    s.addListener(41000);
    s.addDial('127.0.0.1:52000', '127.0.0.1:7100');
    expect(s.classify('127.0.0.1:33333', '127.0.0.1:41000')).toBe('ours');
    expect(s.classify('127.0.0.1:52000', '127.0.0.1:7100')).toBe('ours');
    // The demo's end of the same connection, as the kernel table shows it.
    expect(s.classify('127.0.0.1:7100', '127.0.0.1:52000')).toBe('ours');
    // Another session's dial to the same demo port.
    expect(s.classify('127.0.0.1:52001', '127.0.0.1:7100')).toBe('foreign');
    // Another program's connection that the kernel gave the same local port, to another address.
    expect(s.classify('127.0.0.1:52000', '127.0.0.1:9999')).toBe('foreign');
    expect(s.classify('127.0.0.1:9999', '127.0.0.1:52000')).toBe('foreign');
    expect(s.followedCount).toBe(2);
  });

  it('shows a listener’s LISTEN row without counting it as a connection', () => {
    const s = new BridgeCaptureScope(1);
    s.addListener(41000);
    expect(s.classify('127.0.0.1:41000', '0.0.0.0:0')).toBe('ours');
    expect(s.classify('127.0.0.1:41001', '0.0.0.0:0')).toBe('foreign');
    expect(s.followedCount).toBe(0);
  });

  it('follows the first connections up to the cap and counts the rest as skipped, once each', () => {
    const s = new BridgeCaptureScope(2);
    s.addListener(41000);
    const peer = (p: number) => `127.0.0.1:${p}`;
    expect(s.classify(peer(1), peer(41000))).toBe('ours');
    expect(s.classify(peer(2), peer(41000))).toBe('ours');
    expect(s.full).toBe(true);
    expect(s.classify(peer(3), peer(41000))).toBe('skipped');
    expect(s.classify(peer(41000), peer(3))).toBe('skipped');
    expect(s.classify(peer(4), peer(41000))).toBe('skipped');
    expect(s.skippedCount).toBe(2);
    // A followed connection stays followed to its end (FIN, TIME_WAIT), even after its listener or dial is gone.
    s.removeListener(41000);
    expect(s.classify(peer(41000), peer(1))).toBe('ours');
    expect(s.classify(peer(5), peer(41000))).toBe('foreign');
  });

  it('forgets a closed dial’s local end, so a later socket on that port is not taken for the session’s', () => {
    const s = new BridgeCaptureScope(1);
    s.addDial('127.0.0.1:52000', '127.0.0.1:7100');
    s.removeDial('127.0.0.1:52000', '127.0.0.1:7100');
    expect(s.classify('127.0.0.1:52000', '127.0.0.1:7100')).toBe('foreign');
  });
});
