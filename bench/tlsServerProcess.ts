// The lab's TLS demo in a process of its own for the TLS benchmark: `capture` (tcpdump, records decoded and decrypted,
// key log written) or `plain` (the same server with its observer off). Prints the echo port, runs until killed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TlsDemo } from '../server/demos/tls/tlsDemo.js';

const observed = process.argv[2] === 'capture';
const dataDir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'tls-bench-'));
const demo = new TlsDemo({ dataDir, capture: observed, goRunner: null });
let events = 0;
await demo.start({ host: '127.0.0.1', port: () => 0, emit: () => events++ });
const echo = demo.endpoints().find((e) => e.name === 'echo')!;
process.stdout.write(`${echo.port}\n`);
const stop = async () => {
  await demo.stop();
  process.stderr.write(`  (${observed ? 'observed' : 'plain'} server published ${events} events)\n`);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
