// Port-reuse figures: the spread run's connection generator (50 connections open at once) beside a plain loop (one
// connection at a time), both against the same kind of group of 4 Go SO_REUSEPORT listeners, 1,000 connections,
// three rounds taking turns; and how evenly the kernel spread them.
import { PortReuseDemo } from '../server/demos/portReuse/portReuseDemo.js';

const CONNECTIONS = 1000;
const LISTENERS = 4;
const ROUNDS = 3;

export async function run(): Promise<void> {
  const demo = new PortReuseDemo();
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: () => {} });
  try {
    await demo.spread(LISTENERS, 10, 0); // builds the helper once, outside the figures
    const rows: Array<{ kind: string; ms: number; counts: number[]; failed: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [kind, parallel] of [
        ['lab generator (50 at once)', 50],
        ['plain loop (1 at a time)', 1],
      ] as const) {
        const r = await demo.spread(LISTENERS, CONNECTIONS, 0, parallel);
        rows.push({ kind, ms: r.ms, counts: r.counts, failed: r.failed });
      }
    }
    console.log(`${CONNECTIONS} connections to ${LISTENERS} SO_REUSEPORT listeners (Go), ${ROUNDS} rounds:`);
    for (const kind of new Set(rows.map((r) => r.kind))) {
      const mine = rows.filter((r) => r.kind === kind);
      const best = Math.min(...mine.map((r) => r.ms));
      const rates = mine.map((r) => Math.round((CONNECTIONS / Math.max(1, r.ms)) * 1000));
      console.log(
        `  ${kind.padEnd(28)} best ${String(best).padStart(5)} ms   connections/s per round: ${rates.join(', ')}   failed: ${mine.reduce((a, r) => a + r.failed, 0)}`,
      );
    }
    const spreads = rows.map((r) => `${Math.min(...r.counts)}–${Math.max(...r.counts)}`);
    console.log(`  per-listener counts (fewest–most) each run: ${spreads.join(', ')}`);
  } finally {
    await demo.stop();
  }
}
