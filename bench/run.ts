// Runs the benchmarks and prints their figures: `npm run bench` for all, `npm run bench -- echo framing` for some.
// Each benchmark runs in a fresh Node process: one that ran after others in the same process inherited their
// heap and JIT state (the runtime's ping-pong measured a third of its own speed after the bridge and echo runs).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const child = process.argv.indexOf('--one');
if (child >= 0) {
  const mod = (await import(`./${process.argv[child + 1]}.bench.ts`)) as { run(): Promise<void> };
  await mod.run();
  process.exit(0);
}
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(1);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n=== ${name} ===`);
  // execArgv carries tsx's loader into the child.
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--one', name, ...flags],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) {
    failed++;
    console.error(`benchmark ${name} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
