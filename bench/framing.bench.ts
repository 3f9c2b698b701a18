// Framing benchmarks: decoder throughput of each codec (in memory), and the cost of each framing in bytes.
// Prints figures; asserts nothing. `npm run bench -- framing`.
import net from 'node:net';
import { EchoServer } from '../server/demos/echo/echoServer.js';
import { FrameEventReporter } from '../server/demos/framing/frameEventReporter.js';
import { FramingServer } from '../server/demos/framing/framingServer.js';
import { EventBus } from '../server/events/eventBus.js';
import { SocketEventReporter } from '../server/net/socketEvents.js';
import { FRAMING_SERVER_CONFIGS } from '../core/protocol/demos/framing.js';
import { DelimiterDecoder, DelimiterEncoder } from '../core/framing/delimiterCodec.js';
import { FixedLengthDecoder } from '../core/framing/fixedLengthCodec.js';
import type { FrameDecoder } from '../core/framing/frameCodec.js';
import { LengthPrefixDecoder, LengthPrefixEncoder } from '../core/framing/lengthPrefixCodec.js';

/** Socket reads on Linux loopback commonly deliver up to 64 KiB at a time, so inputs are fed in such chunks. */
const READ_CHUNK = 64 * 1024;

function chunked(wire: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < wire.length; i += size) chunks.push(wire.subarray(i, Math.min(i + size, wire.length)));
  return chunks;
}

function lengthPrefixed(count: number, size: number): Uint8Array {
  const wire = new Uint8Array(count * (4 + size));
  const view = new DataView(wire.buffer);
  for (let i = 0; i < count; i++) {
    const at = i * (4 + size);
    view.setUint32(at, size);
    wire.fill(i & 0xff, at + 4, at + 4 + size);
  }
  return wire;
}

interface Rate {
  seconds: number;
  frames: number;
  bytes: number;
}

/** Decodes all chunks `rounds` times with fresh decoders; returns the fastest round (least disturbed by others). */
function decodeRate(make: () => FrameDecoder, chunks: Uint8Array[], rounds: number): Rate {
  let best: Rate = { seconds: Infinity, frames: 0, bytes: 0 };
  for (let r = 0; r < rounds; r++) {
    const decoder = make();
    let frames = 0;
    let bytes = 0;
    const sink = (f: Uint8Array) => {
      frames++;
      bytes += f.length;
    };
    const start = performance.now();
    for (const chunk of chunks) decoder.push(chunk, sink);
    decoder.end();
    const seconds = (performance.now() - start) / 1000;
    if (seconds < best.seconds) best = { seconds, frames, bytes };
  }
  return best;
}

const gbps = (r: Rate, wireBytes: number) => (wireBytes / r.seconds / 1e9).toFixed(2);
const mfps = (r: Rate) => (r.frames / r.seconds / 1e6).toFixed(2);

function line(label: string, value: string, target = ''): void {
  console.log(`  ${label.padEnd(58)} ${value.padStart(14)}${target ? `   (target ${target})` : ''}`);
}

export function benchDecoders(): void {
  console.log('Framing decoders, in memory (best of several rounds; inputs fed in 64 KiB chunks unless noted)');

  const big = lengthPrefixed(256, 64 * 1024); // 16 MiB of 64 KiB frames
  const bigChunked = decodeRate(() => new LengthPrefixDecoder(), chunked(big, READ_CHUNK), 15);
  line('length prefix, 64 KiB frames, 64 KiB reads (copies)', `${gbps(bigChunked, big.length)} GB/s`, '>= 1 GB/s');
  const bigOneChunk = decodeRate(() => new LengthPrefixDecoder(), [big], 15);
  line('length prefix, 64 KiB frames, one 16 MiB read (zero-copy)', `${gbps(bigOneChunk, big.length)} GB/s`);

  const small = lengthPrefixed(1_000_000, 16); // 20 MB of 16-byte frames
  const smallChunks = chunked(small, READ_CHUNK);
  const smallRate = decodeRate(() => new LengthPrefixDecoder(), smallChunks, 7);
  line('length prefix u32be, 16-byte frames', `${mfps(smallRate)} M frames/s`, '>= 2 M frames/s');

  const varintEncoder = new LengthPrefixEncoder({ header: 'uvarint' });
  const payload16 = new Uint8Array(16).fill(1);
  const varintWire = new Uint8Array(1_000_000 * 17);
  for (let i = 0; i < 1_000_000; i++) varintWire.set(varintEncoder.encode(payload16), i * 17);
  line(
    'length prefix uvarint, 16-byte frames',
    `${mfps(decodeRate(() => new LengthPrefixDecoder({ header: 'uvarint' }), chunked(varintWire, READ_CHUNK), 7))} M frames/s`,
  );

  const fixedWire = new Uint8Array(1_000_000 * 16).fill(2);
  line(
    'fixed length, 16-byte records',
    `${mfps(decodeRate(() => new FixedLengthDecoder({ size: 16 }), chunked(fixedWire, READ_CHUNK), 7))} M frames/s`,
  );

  const lineWire = new Uint8Array(1_000_000 * 17).fill(0x61);
  for (let i = 16; i < lineWire.length; i += 17) lineWire[i] = 0x0a;
  line(
    'delimiter "\\n", 16-byte lines',
    `${mfps(decodeRate(() => new DelimiterDecoder(), chunked(lineWire, READ_CHUNK), 7))} M frames/s`,
  );
  line(
    'delimiter "\\n" escaped, 16-byte lines (none need unescaping)',
    `${mfps(decodeRate(() => new DelimiterDecoder({ escape: true }), chunked(lineWire, READ_CHUNK), 7))} M frames/s`,
  );
}

/** Bytes added by each framing for some message sizes, and what escaping costs on random binary data. */
export function benchOverhead(): void {
  console.log('Framing overhead (bytes on the wire per message)');
  for (const size of [16, 1000, 65536]) {
    const m = new Uint8Array(size);
    const u32 = new LengthPrefixEncoder().encode(m).length - size;
    const u16 = size <= 65535 ? `${new LengthPrefixEncoder({ header: 'u16be' }).encode(m).length - size}` : 'n/a';
    const varint = new LengthPrefixEncoder({ header: 'uvarint' }).encode(m).length - size;
    line(`${size}-byte message: u32be / u16be / uvarint / "\\n"`, `${u32} / ${u16} / ${varint} / 1`);
  }
  // Random binary data: each byte is '\n' or '\' with probability 2/256, so escaping adds about 0.78 %.
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
  const encoder = new DelimiterEncoder({ escape: true, maxLine: 1 << 20 });
  const messages = Array.from({ length: 200 }, () => Uint8Array.from({ length: 4096 }, random));
  const start = performance.now();
  for (const m of messages) encoder.encode(m);
  const seconds = (performance.now() - start) / 1000;
  const stats = encoder.stats();
  line(
    'escaping random 4 KiB messages: extra bytes',
    `${((encoder.escapeBytes / stats.payloadBytes) * 100).toFixed(2)} %`,
  );
  line('escaping random 4 KiB messages: encode speed', `${(stats.payloadBytes / seconds / 1e6).toFixed(0)} MB/s`);
  const plain = new LengthPrefixEncoder();
  const start2 = performance.now();
  for (const m of messages) plain.encode(m);
  line(
    'length prefix, same messages: encode speed',
    `${(stats.payloadBytes / ((performance.now() - start2) / 1000) / 1e6).toFixed(0)} MB/s`,
  );
}

/** Clients that each keep one message in flight: send, wait for the whole echo, send again. */
async function pingPong(port: number, message: Uint8Array, clients: number, ms: number): Promise<number> {
  let roundTrips = 0;
  const until = performance.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
      await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      await new Promise<void>((resolve) => {
        let got = 0;
        socket.on('data', (d: Buffer) => {
          got += d.length;
          while (got >= message.length) {
            got -= message.length;
            roundTrips++;
            if (performance.now() >= until) {
              socket.end();
              resolve();
              return;
            }
            socket.write(message);
          }
        });
        socket.write(message);
      });
    }),
  );
  return roundTrips;
}

/**
 * Real TCP on loopback: the lab's plain echo server and its length-prefix framing server (decode, re-encode, echo),
 * both instrumented as the lab runs them (socket and frame events into a bus), measured side by side in rounds.
 */
export async function benchEchoRoundTrips(): Promise<void> {
  const bus = new EventBus(2000);
  const emitEcho = bus.forDemo('echo');
  const emitFraming = bus.forDemo('framing');
  const echoReporter = new SocketEventReporter(emitEcho);
  const echo = new EchoServer({
    host: '127.0.0.1',
    port: 0,
    flag: '--demo-ports',
    observer: echoReporter,
    onAccept: (c) => echoReporter.opened(c, 'server'),
  });
  const framingSockets = new SocketEventReporter(emitFraming);
  const frames = new FrameEventReporter('length-prefix', emitFraming);
  const framing = new FramingServer({
    host: '127.0.0.1',
    port: 0,
    flag: '--demo-ports',
    config: FRAMING_SERVER_CONFIGS['length-prefix'],
    idPrefix: 'lp',
    connObserver: framingSockets,
    observer: frames,
    onAccept: (c) => framingSockets.opened(c, 'server'),
    onClose: (c) => frames.closed(c.id),
  });
  await echo.listen();
  await framing.listen();
  const payload = new Uint8Array(16).fill(0x61);
  const framed = new LengthPrefixEncoder().encode(payload);
  const clients = 4;
  const roundMs = 1500;
  let echoTotal = 0;
  let framedTotal = 0;
  console.log(
    `Round trips over real TCP on loopback (${clients} clients, 16-byte messages, ${roundMs} ms rounds, alternating)`,
  );
  try {
    await pingPong(echo.port, payload, clients, 300); // warm-up
    await pingPong(framing.port, framed, clients, 300);
    for (let round = 1; round <= 3; round++) {
      const e = await pingPong(echo.port, payload, clients, roundMs);
      const f = await pingPong(framing.port, framed, clients, roundMs);
      echoTotal += e;
      framedTotal += f;
      line(
        `round ${round}: plain echo / length-prefix echo`,
        `${Math.round(e / (roundMs / 1000))} / ${Math.round(f / (roundMs / 1000))} /s`,
      );
    }
    const ratio = (framedTotal / echoTotal) * 100;
    line('plain echo server', `${Math.round(echoTotal / ((3 * roundMs) / 1000))} round trips/s`);
    line('length-prefix framing echo server', `${Math.round(framedTotal / ((3 * roundMs) / 1000))} round trips/s`);
    line('length prefix as a share of plain echo', `${ratio.toFixed(1)} %`, '>= 70 %');
  } finally {
    await echo.close();
    await framing.close();
  }
}

export async function run(): Promise<void> {
  benchDecoders();
  benchOverhead();
  await benchEchoRoundTrips();
}
