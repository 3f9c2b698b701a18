// The headless twin of the handshake demo (`npm run lab -- run handshake --json`): every scenario's segments and
// state changes as JSON lines, and no capture process left running afterwards.
import { describe, expect, it } from 'vitest';
import { runHeadless } from '../../cli/headless.js';
import { findExecutable, liveCaptureCount } from '../../observers/capture/captureObserver.js';
import type { LabEvent } from '../../../core/protocol/events.js';
import { HANDSHAKE_SCENARIOS } from '../../../core/protocol/demos/handshake.js';
import { HandshakeDemo } from './handshakeDemo.js';

describe('handshake headless twin', () => {
  it('prints every scenario as a recording with captured segments and polled and inferred states', async () => {
    const lines: string[] = [];
    await runHeadless(new HandshakeDemo(), {
      host: '127.0.0.1',
      demoPortBase: 0,
      seconds: 25,
      format: 'json',
      write: (l) => lines.push(l),
    });
    const events = lines.map((l) => JSON.parse(l) as LabEvent);
    expect(events.every((e) => e.demo === 'handshake')).toBe(true);
    const ends = events.filter(
      (e): e is Extract<LabEvent, { kind: 'handshake.runEnd' }> => e.kind === 'handshake.runEnd',
    );
    expect(ends.map((e) => e.scenario)).toEqual([...HANDSHAKE_SCENARIOS]);
    expect(ends.every((e) => e.error === undefined)).toBe(true);
    const kinds = new Set(events.map((e) => e.kind));
    if (process.platform === 'linux') expect(kinds).toContain('tcpState.change');
    if (findExecutable('tcpdump') && process.getuid?.() === 0) {
      expect(kinds).toContain('packet.segment');
      expect(kinds).toContain('tcpState.inferred');
      expect(
        ends.filter((e) => e.summary.handshakeNumbersMatch !== null).every((e) => e.summary.handshakeNumbersMatch),
      ).toBe(true);
    }
    expect(events.at(-1)!.kind).toBe('demo.stopped');
    expect(liveCaptureCount()).toBe(0);
  }, 40_000);
});
