// The headless twin of lesson 27: `npm run lab -- run tls --json` prints the runs' outcomes and the decoded records
// as JSON lines and exits. Here with Node's client for the bad certificate (the Go build is the walk's to pay for).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../core/protocol/events.js';
import { runHeadless } from '../../cli/headless.js';
import { TlsDemo } from './tlsDemo.js';

describe('tls headless twin', () => {
  it('runs TLS 1.3, TLS 1.2, a HelloRetryRequest, two kinds of garbage and an expired certificate', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tls-headless-'));
    const lines: string[] = [];
    try {
      await runHeadless(new TlsDemo({ dataDir, goRunner: null }), {
        host: '127.0.0.1',
        demoPortBase: 0,
        seconds: 60,
        format: 'json',
        write: (l) => lines.push(l),
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    const events = lines.map((l) => JSON.parse(l) as LabEvent);
    const ends = events.flatMap((e) => (e.kind === 'tls.runEnd' ? [e.result] : []));
    expect(ends.map((r) => r.run)).toEqual(['session', 'session', 'session', 'garbage', 'garbage', 'badCert']);
    expect(ends.slice(0, 3).map((r) => r.run === 'session' && r.version)).toEqual(['TLSv1.3', 'TLSv1.2', 'TLSv1.3']);
    expect(ends[4]).toMatchObject({ alert: { description: 'decode_error' } });
    expect(ends[5]).toMatchObject({
      kind: 'expired',
      dialer: 'node',
      error: expect.stringMatching(/CERT_HAS_EXPIRED/),
    });
    // With capture (root, as in CI): the round trips of the three sessions, counted from the capture.
    const capturing = events.some((e) => e.kind === 'packet.captureStatus' && e.status === 'capturing');
    if (capturing) {
      const trips = events.flatMap((e) => (e.kind === 'tls.roundTrips' ? [e.roundTrips] : []));
      expect(trips.slice(0, 3)).toEqual([1, 2, 2]);
    }
    expect(events.at(-1)?.kind).toBe('demo.stopped');
  }, 60_000);
});
