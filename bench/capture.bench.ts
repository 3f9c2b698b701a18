// Capture decoder figures: packets per second through the pcap decoder alone and through the whole capture pipeline
// (decode, connection tracking, state model, event objects with hex), on a synthetic capture and on a real tcpdump one.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { TCP_FLAG, LINK_TYPE } from '../server/observers/capture/frameDecoder.js';
import {
  buildPcap,
  buildTcpIpPacket,
  wrapInLinkLayer,
  type PcapRecordSpec,
} from '../server/observers/capture/pcapBuilder.js';
import { PcapStreamDecoder } from '../server/observers/capture/pcapDecoder.js';
import { CaptureProcessor } from '../server/observers/capture/captureProcessor.js';
import { findExecutable } from '../server/observers/capture/captureObserver.js';

const CHUNK = 64 * 1024;
const TARGET = 200_000;

/** Connections of 10 segments each (handshake, request, response, ACKs, 3-segment close), as a loopback echo makes. */
export function syntheticCapture(packets: number): Uint8Array {
  const records: PcapRecordSpec[] = [];
  const payload = new Uint8Array(100).fill(0x61);
  const opts = [
    { kind: 'mss', value: 65495 },
    { kind: 'sackPermitted' },
    { kind: 'timestamps', value: 1, echoReply: 0 },
    { kind: 'nop' },
    { kind: 'wscale', shift: 7 },
  ] as const;
  const ts = [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', value: 2, echoReply: 1 }] as const;
  const { SYN, ACK, PSH, FIN } = TCP_FLAG;
  for (let c = 0; records.length < packets; c++) {
    const cp = 20000 + (c % 40000);
    const C = { sourcePort: cp, destinationPort: 7405 };
    const S = { sourcePort: 7405, destinationPort: cp };
    const ci = (c * 7919) >>> 0;
    const si = (c * 104729) >>> 0;
    const segs = [
      buildTcpIpPacket({ ...C, seq: ci, flags: SYN, options: [...opts] }),
      buildTcpIpPacket({ ...S, seq: si, ack: ci + 1, flags: SYN | ACK, options: [...opts] }),
      buildTcpIpPacket({ ...C, seq: ci + 1, ack: si + 1, flags: ACK, options: [...ts] }),
      buildTcpIpPacket({ ...C, seq: ci + 1, ack: si + 1, flags: PSH | ACK, options: [...ts], payload }),
      buildTcpIpPacket({ ...S, seq: si + 1, ack: ci + 101, flags: ACK, options: [...ts] }),
      buildTcpIpPacket({ ...S, seq: si + 1, ack: ci + 101, flags: PSH | ACK, options: [...ts], payload }),
      buildTcpIpPacket({ ...C, seq: ci + 101, ack: si + 101, flags: ACK, options: [...ts] }),
      buildTcpIpPacket({ ...C, seq: ci + 101, ack: si + 101, flags: FIN | ACK, options: [...ts] }),
      buildTcpIpPacket({ ...S, seq: si + 101, ack: ci + 102, flags: FIN | ACK, options: [...ts] }),
      buildTcpIpPacket({ ...C, seq: ci + 102, ack: si + 102, flags: ACK, options: [...ts] }),
    ];
    for (const s of segs) {
      if (records.length >= packets) break;
      records.push({
        tsSec: 1_760_000_000 + Math.floor(records.length / 1e6),
        tsFraction: records.length % 1e6,
        frame: wrapInLinkLayer(s, LINK_TYPE.EN10MB),
      });
    }
  }
  return buildPcap({ linkType: LINK_TYPE.EN10MB }, records);
}

function chunks(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < bytes.length; o += CHUNK) out.push(bytes.subarray(o, Math.min(o + CHUNK, bytes.length)));
  return out;
}

/** Best of `rounds` runs, packets per second. */
function measure(
  label: string,
  parts: Uint8Array[],
  expected: number,
  rounds: number,
  decode: (parts: Uint8Array[]) => number,
): number {
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const n = decode(parts);
    const ms = performance.now() - t0;
    if (n !== expected) throw new Error(`${label}: decoded ${n} of ${expected} packets`);
    best = Math.max(best, n / (ms / 1000));
  }
  console.log(
    `  ${label.padEnd(58)} ${Math.round(best).toLocaleString('en-US').padStart(12)} packets/s  ${best >= TARGET ? '≥' : '<'} ${TARGET.toLocaleString('en-US')}`,
  );
  return best;
}

const decoderOnly = (parts: Uint8Array[]): number => {
  const d = new PcapStreamDecoder();
  let n = 0;
  for (const p of parts) for (const item of d.push(p)) if (item.kind === 'packet') n++;
  return n;
};

const wholePipeline = (parts: Uint8Array[]): number => {
  const p = new CaptureProcessor();
  let n = 0;
  for (const part of parts) for (const e of p.push(part)) if (e.kind === 'packet.segment') n++;
  return n;
};

/** Captures `connections` real echo exchanges on loopback with tcpdump, into memory. */
async function realCapture(connections: number): Promise<{ bytes: Uint8Array; packets: number } | null> {
  if (!findExecutable('tcpdump')) return null;
  const server = net.createServer((s) => {
    s.on('data', (d) => s.write(d));
    s.on('end', () => s.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const td = spawn('tcpdump', ['-U', '--immediate-mode', '-n', '-i', 'lo', '-w', '-', `tcp port ${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  td.stdout.on('data', (d: Buffer) => out.push(d));
  let stderr = '';
  const listening = await new Promise<boolean>((resolve) => {
    td.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/listening on/.test(stderr)) resolve(true);
    });
    td.once('exit', () => resolve(false));
  });
  if (!listening) {
    server.close();
    console.log(`  (no real capture: ${stderr.trim().split('\n')[0]})`);
    return null;
  }
  for (let i = 0; i < connections; i++) {
    const c = net.connect(port, '127.0.0.1');
    await new Promise((r) => c.once('connect', r));
    c.write('x'.repeat(100));
    await new Promise((r) => c.once('data', r));
    c.end();
    await new Promise((r) => c.once('close', r));
  }
  await new Promise((r) => setTimeout(r, 300));
  const exited = new Promise((r) => td.once('exit', r));
  td.kill('SIGTERM');
  await exited;
  server.close();
  const bytes = new Uint8Array(Buffer.concat(out));
  return { bytes, packets: decoderOnly([bytes]) };
}

export async function run(): Promise<void> {
  const packets = 200_000;
  const synthetic = syntheticCapture(packets);
  console.log(
    `synthetic loopback capture: ${packets.toLocaleString('en-US')} packets, ${(synthetic.length / 1e6).toFixed(1)} MB, fed in ${CHUNK / 1024} KiB chunks (best of 5)`,
  );
  const parts = chunks(synthetic);
  measure('pcap decoder (records → link/IP/TCP headers)', parts, packets, 5, decoderOnly);
  measure('whole pipeline (+ tracking, state model, events with hex)', parts, packets, 5, wholePipeline);

  const real = await realCapture(300);
  if (real) {
    // Repeat the real capture so the timing is not dominated by timer resolution.
    const copies = Math.ceil(packets / real.packets);
    const body = real.bytes.subarray(24);
    const big = new Uint8Array(24 + body.length * copies);
    big.set(real.bytes.subarray(0, 24));
    for (let i = 0; i < copies; i++) big.set(body, 24 + i * body.length);
    console.log(`real tcpdump capture of 300 echo connections on lo: ${real.packets} packets, repeated ×${copies}`);
    const realParts = chunks(big);
    measure('pcap decoder on the real capture', realParts, real.packets * copies, 5, decoderOnly);
    measure('whole pipeline on the real capture', realParts, real.packets * copies, 5, wholePipeline);
  }
}
