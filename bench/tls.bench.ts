// TLS figures: the lab's TLS echo server with its observer on (tcpdump, records decoded and decrypted) and off —
// handshakes a second and MB/s echoed, each server in its own process, taking turns — and the record decoder's
// records a second on a real capture of a session with many small records.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { labCertificates } from '../server/demos/tls/labCertificates.js';
import { TlsEchoServer } from '../server/demos/tls/tlsEchoServer.js';
import { CaptureProcessor } from '../server/observers/capture/captureProcessor.js';
import { TLS_CAPTURE_HEX_BYTES, TlsCaptureReader } from '../server/observers/capture/tls/tlsCaptureReader.js';
import { TlsRecordReader } from '../server/observers/capture/tls/tlsRecordReader.js';
import { TlsSegmentTap } from '../server/observers/capture/tls/tlsSegmentTap.js';
import { startServerProcess } from './benchProcess.js';

const RUN_MS = 2000;
const ROUNDS = 2;
const HANDSHAKE_CLIENTS = 4;
const BULK_CHUNK = 64 * 1024;
const IN_FLIGHT = 4;
const DECODE_RECORDS = 20_000;

function startServer(kind: 'capture' | 'plain', dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  return startServerProcess('bench/tlsServerProcess.ts', kind, dataDir);
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function connect(port: number, ca: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca, session: undefined });
    s.once('secureConnect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Full handshakes (no resumption) a second: connect, handshake, close, by a few clients at once. */
async function handshakes(port: number, ca: string): Promise<number> {
  let done = 0;
  const stop = performance.now() + RUN_MS;
  await Promise.all(
    Array.from({ length: HANDSHAKE_CLIENTS }, async () => {
      while (performance.now() < stop) {
        const s = await connect(port, ca);
        s.destroy();
        done++;
      }
    }),
  );
  return done / (RUN_MS / 1000);
}

/** MB/s echoed through one connection, with IN_FLIGHT chunks of 64 KiB on their way at any time. */
async function throughput(port: number, ca: string): Promise<number> {
  const s = await connect(port, ca);
  const chunk = Buffer.alloc(BULK_CHUNK, 0x61);
  let back = 0;
  let sent = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    s.on('data', (d: Buffer) => {
      back += d.length;
      if (performance.now() - start > RUN_MS) {
        if (back >= sent) resolve();
        return;
      }
      while (sent - back < IN_FLIGHT * BULK_CHUNK) {
        s.write(chunk);
        sent += chunk.length;
      }
    });
    for (let i = 0; i < IN_FLIGHT; i++) {
      s.write(chunk);
      sent += chunk.length;
    }
  });
  const seconds = (performance.now() - start) / 1000;
  s.destroy();
  return back / seconds / 1e6;
}

/** A real capture (tcpdump on lo) of one TLS 1.3 session with DECODE_RECORDS small writes each way, and its keys. */
async function captureManyRecords(dir: string): Promise<{ pcap: Uint8Array; keyLog: string[] }> {
  const certs = await labCertificates(dir);
  const keyLog: string[] = [];
  const server = new TlsEchoServer({
    host: '127.0.0.1',
    port: 0,
    key: certs.certs.server.key,
    cert: certs.certs.server.cert,
    onKeyLog: (l) => keyLog.push(l.toString('latin1')),
    limits: { maxConnections: 4, idleMs: 60_000 },
  });
  await server.listen();
  const file = join(dir, 'many.pcap');
  const tcpdump = spawn('tcpdump', ['-U', '--immediate-mode', '-i', 'lo', '-w', file, `tcp port ${server.port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve) =>
    tcpdump.stderr!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve()),
  );
  const s = await connect(server.port, certs.ca.cert);
  let back = 0;
  const all = new Promise<void>((resolve) =>
    s.on('data', (d: Buffer) => {
      back += d.length;
      if (back >= DECODE_RECORDS * 8) resolve();
    }),
  );
  // Each write, flushed before the next, is its own record (queued writes would be joined into bigger ones).
  for (let i = 0; i < DECODE_RECORDS; i++) await new Promise((r) => s.write('record.\n', r));
  await all;
  s.end();
  await new Promise((r) => setTimeout(r, 500));
  const exited = new Promise((r) => tcpdump.once('exit', r));
  tcpdump.kill('SIGTERM');
  await exited;
  await server.close();
  return { pcap: readFileSync(file), keyLog };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tls-bench-'));
  try {
    const certs = await labCertificates(dir);
    const rows: Record<'plain' | 'capture', { hs: number[]; mbps: number[] }> = {
      plain: { hs: [], mbps: [] },
      capture: { hs: [], mbps: [] },
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['plain', 'capture'] as const) {
        const { child, port } = await startServer(kind, dir);
        rows[kind].hs.push(await handshakes(port, certs.ca.cert));
        rows[kind].mbps.push(await throughput(port, certs.ca.cert));
        await stopServer(child);
      }
    }
    const best = (xs: number[]) => Math.max(...xs);
    console.log(`TLS echo server, ${HANDSHAKE_CLIENTS} clients, ${RUN_MS} ms per figure, best of ${ROUNDS} rounds:`);
    console.log('                                 handshakes/s      MB/s echoed');
    for (const kind of ['plain', 'capture'] as const) {
      const label = kind === 'plain' ? 'observer off' : 'observer on (capture + decode)';
      console.log(
        `  ${label.padEnd(31)} ${best(rows[kind].hs).toFixed(0).padStart(12)} ${best(rows[kind].mbps).toFixed(1).padStart(16)}`,
      );
    }

    const { pcap, keyLog } = await captureManyRecords(dir);
    const processor = new CaptureProcessor({ inferStates: false, maxHexBytes: TLS_CAPTURE_HEX_BYTES });
    const events = [...processor.push(pcap), ...processor.end()];
    // The two directions' payloads, for the record reader alone.
    const tap = new TlsSegmentTap();
    const streams = events.flatMap((e) => (e.kind === 'packet.segment' ? [tap.take(e)] : [])).filter((x) => x !== null);
    let records = 0;
    let t0 = performance.now();
    let passes = 0;
    while (performance.now() - t0 < 1000 || passes < 3) {
      const readers = { client: new TlsRecordReader(), server: new TlsRecordReader() };
      for (const seg of streams) records += readers[seg!.from].push(seg!.payload).length;
      passes++;
    }
    const readerRate = records / ((performance.now() - t0) / 1000);
    const perPass = records / passes;

    const decode = (withKeys: boolean) => {
      let n = 0;
      let p = 0;
      const start = performance.now();
      while (performance.now() - start < 1000 || p < 3) {
        const reader = new TlsCaptureReader();
        if (withKeys) for (const line of keyLog) reader.addKeyLogLine(line);
        for (const e of events) n += reader.push(e).filter((x) => x.kind === 'tls.record').length;
        p++;
      }
      return n / ((performance.now() - start) / 1000);
    };
    t0 = performance.now();
    const noKeys = decode(false);
    const withKeys = decode(true);
    console.log(`record decoder on a real capture (${events.length} segments, ${perPass} records):`);
    console.log(`  record reader alone (target >= 200,000)  ${readerRate.toFixed(0).padStart(12)} records/s`);
    console.log(`  records + hellos, no keys                ${noKeys.toFixed(0).padStart(12)} records/s`);
    console.log(`  records + decryption (AES-GCM)           ${withKeys.toFixed(0).padStart(12)} records/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
