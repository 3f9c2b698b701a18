// The demo as pages and the headless twin see it: with the privilege (real runs), and without (the coded reason and
// the lab's own labelled recording).
import { describe, expect, it } from 'vitest';
import type { TcpLossRunResult } from '../../../core/protocol/demos/tcpLoss.js';
import type { LabEvent } from '../../../core/protocol/events.js';
import { runHeadless } from '../../cli/headless.js';
import { loadRecording, TcpLossDemo } from './tcpLossDemo.js';

const unprivileged = () =>
  new TcpLossDemo({
    probe: async () => ({
      run: 'probe',
      available: false,
      code: 'E_LOSS_NOT_PERMITTED',
      detail: 'uid 1000',
      netem: null,
    }),
  });

async function headless(demo: TcpLossDemo): Promise<LabEvent[]> {
  const lines: string[] = [];
  await runHeadless(demo, {
    host: '127.0.0.1',
    demoPortBase: 0,
    seconds: 90,
    format: 'json',
    write: (l) => lines.push(l),
  });
  return lines.map((l) => JSON.parse(l) as LabEvent);
}

const ends = (events: LabEvent[]): TcpLossRunResult[] =>
  events.flatMap((e) => (e.kind === 'tcpLoss.runEnd' ? [e.result] : []));

describe('tcp-loss demo without the privilege', () => {
  it('refuses a run with the coded reason, and serves the recording labelled as one', async () => {
    const demo = unprivileged();
    await expect(demo.transfer({ ...loadRecording().lossy.settings }, 's1')).rejects.toMatchObject({
      code: 'E_LOSS_NOT_PERMITTED',
    });
    const recording = await demo.commands.recording!.run({}, { session: 's1' });
    const { clean, lossy } = recording as ReturnType<typeof loadRecording>;
    for (const r of [clean, lossy]) {
      expect(r.origin).toBe('recording');
      expect(r.recordedOn).toMatch(/Linux .+ cores/);
    }
    // The recording is a real run of this lab: the lossy one retransmitted, the clean one did not, and was faster.
    expect(lossy.analysis!.retransmissions.length).toBeGreaterThan(0);
    expect(clean.analysis!.retransmissions).toEqual([]);
    expect(clean.elapsedMs).toBeLessThan(lossy.elapsedMs);
  });

  it('headless: says why, then prints the recorded runs', async () => {
    const events = await headless(unprivileged());
    expect(events.find((e) => e.kind === 'demo.error')).toMatchObject({ error: { code: 'E_LOSS_NOT_PERMITTED' } });
    expect(ends(events).map((r) => [r.origin, r.settings.lossPercent])).toEqual([
      ['recording', 0],
      ['recording', 20],
    ]);
  }, 30_000);
});

describe('tcp-loss demo with the privilege (root)', () => {
  it('headless: a clean and a lossy 2 MB run, with progress, real retransmissions only in the lossy one', async () => {
    const events = await headless(new TcpLossDemo());
    const [clean, lossy] = ends(events);
    expect(clean).toMatchObject({ origin: 'live', finished: true, settings: { lossPercent: 0 } });
    expect(lossy).toMatchObject({ origin: 'live', finished: true, settings: { lossPercent: 20 } });
    expect(clean!.analysis!.retransmissions).toEqual([]);
    expect(lossy!.analysis!.retransmissions.length).toBeGreaterThan(0);
    expect(events.some((e) => e.kind === 'tcpLoss.progress')).toBe(true);
    expect(events.at(-1)?.kind).toBe('demo.stopped');
  }, 90_000);
});
