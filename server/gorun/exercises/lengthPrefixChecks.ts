// Checks of exercise 11 in Go. The student's program is a server that reads length-prefixed frames and answers
// "frame <length> <hex>" per frame, then "end" (clean close) or "error <what>" (a broken stream). The checker is
// its peer over real TCP: it sends frames whole, stuck together, in seeded random splits, one byte at a time,
// stalled mid-frame, a zero-length frame, a truncated frame and a 2 GiB header, and compares what came back.
import net from 'node:net';
import { LengthPrefixEncoder } from '../../../core/framing/lengthPrefixCodec.js';
import { SeededRandom } from '../../../core/runtime/seededRandom.js';
import type { LocalizedText } from '../../../core/protocol/errors.js';
import { freePort } from '../../net/freePort.js';
import {
  CheckFailed,
  expect,
  sleep,
  verdict,
  type ExerciseEnv,
  type ProgramRun,
  type Verdict,
} from '../goExerciseCheck.js';

const encoder = new LengthPrefixEncoder({ header: 'u32be' });
const text = (s: string) => new TextEncoder().encode(s);

/** How long the checker waits for the server's answers to one connection. */
const ANSWER_WAIT_MS = 6000;
/** How long a freshly started program gets to listen. */
const LISTEN_WAIT_MS = 10_000;

type Step = { bytes: Uint8Array } | { pauseMs: number };

export interface Answer {
  /** Payloads of the "frame" lines, in order. */
  frames: Uint8Array[];
  /** The last line if it was "end" or "error …"; null if the server closed (or went quiet) without one. */
  ending: string | null;
  /** Lines that were none of these. */
  other: string[];
  /** True if the server closed the connection before the checker stopped waiting. */
  closed: boolean;
  /** How many frame lines had come before the checker's last write. */
  framesBeforeLastWrite: number;
}

/** Parses the server's answer lines. Pure. */
export function parseAnswer(raw: string): Omit<Answer, 'closed' | 'framesBeforeLastWrite'> {
  const frames: Uint8Array[] = [];
  const other: string[] = [];
  let ending: string | null = null;
  for (const line of raw.split('\n').slice(0, -1)) {
    const m = /^frame (\d+) ?([0-9a-f]*)$/.exec(line.trimEnd());
    if (m && m[2]!.length === 2 * Number(m[1])) frames.push(Uint8Array.from(Buffer.from(m[2]!, 'hex')));
    else if (line === 'end' || line.startsWith('error')) ending = line;
    else other.push(line);
  }
  return { frames, ending, other };
}

/** One connection: writes the steps (Nagle off, so each write leaves as its own segment), then half-closes unless told not to, and collects the answer. */
async function exchange(
  host: string,
  port: number,
  steps: Step[],
  { halfClose = true, waitMs = ANSWER_WAIT_MS } = {},
): Promise<Answer> {
  const socket = net.connect({ host, port, noDelay: true });
  let raw = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (raw += d));
  const ended = new Promise<void>((resolve) => socket.once('close', () => ((closed = true), resolve())));
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  }).catch((err: Error) => {
    throw new CheckFailed({
      en: `The checker could not connect to your server: ${err.message}.`,
      zh: `检查程序无法连接到你的服务器：${err.message}。`,
    });
  });
  let framesBeforeLastWrite = 0;
  for (const step of steps) {
    if ('pauseMs' in step) await sleep(step.pauseMs);
    else {
      framesBeforeLastWrite = parseAnswer(raw).frames.length;
      if (!socket.destroyed) socket.write(step.bytes);
    }
  }
  if (halfClose && !socket.destroyed) socket.end();
  await Promise.race([ended, sleep(waitMs)]);
  socket.destroy();
  return { ...parseAnswer(raw), closed, framesBeforeLastWrite };
}

const wire = (payloads: Uint8Array[]) => Buffer.concat(payloads.map((p) => encoder.encode(p)));

/** Shows a payload short: its text if printable, else its size. */
function show(p: Uint8Array): string {
  const s = Buffer.from(p).toString('utf8');
  return /^[\x20-\x7e\u4e00-\u9fff，]*$/.test(s) && p.length <= 40 ? JSON.stringify(s) : `${p.length} bytes`;
}

/** Fails unless the answer holds exactly `want`, in order, followed by "end". */
function expectFrames(got: Answer, want: Uint8Array[], how: LocalizedText): void {
  const bad = want.findIndex(
    (w, i) => !got.frames[i] || Buffer.compare(Buffer.from(got.frames[i]!), Buffer.from(w)) !== 0,
  );
  expect(got.frames.length === want.length && bad < 0, {
    en: `${how.en}: the checker sent ${want.length} frames, your server answered ${got.frames.length}${
      bad >= 0
        ? `; frame ${bad + 1} was sent as ${show(want[bad]!)} and came back as ${got.frames[bad] ? show(got.frames[bad]!) : 'nothing'}`
        : ''
    }. Does readFrame assume that one Read returns one whole frame?`,
    zh: `${how.zh}：检查程序发送了 ${want.length} 帧，你的服务器回答了 ${got.frames.length} 帧${
      bad >= 0
        ? `；第 ${bad + 1} 帧发送的是 ${show(want[bad]!)}，收到的却是 ${got.frames[bad] ? show(got.frames[bad]!) : '（没有）'}`
        : ''
    }。readFrame 是否假设一次 Read 正好返回一整帧？`,
  });
  expect(got.ending === 'end', {
    en: `${how.en}: after the last frame the checker closed its side cleanly; your server should then answer "end" (readFrame returns io.EOF between frames), but it ${got.ending ? `answered ${JSON.stringify(got.ending)}` : 'did not'}.`,
    zh: `${how.zh}：最后一帧之后检查程序正常关闭了自己一端；你的服务器此时应回答 "end"（readFrame 在两帧之间返回 io.EOF），但它${got.ending ? `回答了 ${JSON.stringify(got.ending)}` : '没有回答'}。`,
  });
}

/** Cuts `bytes` at `count` distinct random offsets (seeded): the writes of a random split. */
export function randomSplit(
  bytes: Uint8Array,
  count: number,
  random: SeededRandom,
): { cuts: number[]; parts: Uint8Array[] } {
  const cuts = new Set<number>();
  while (cuts.size < Math.min(count, bytes.length - 1)) cuts.add(1 + random.below(bytes.length - 1));
  const sorted = [...cuts].sort((a, b) => a - b);
  const bounds = [0, ...sorted, bytes.length];
  return { cuts: sorted, parts: bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end)) };
}

function randomBytes(n: number, random: SeededRandom): Uint8Array {
  return Uint8Array.from({ length: n }, () => random.below(256));
}

/** Waits until the program accepts connections on its port, or fails saying why not. */
async function waitListening(program: ProgramRun, host: string, port: number): Promise<void> {
  const deadline = performance.now() + LISTEN_WAIT_MS;
  while (performance.now() < deadline) {
    if (program.hasEnded()) break;
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  const end = program.describeEnd();
  throw new CheckFailed({
    en: `Your server never listened on ${host}:${port} (the address the lab passed with -addr): ${end.en}.`,
    zh: `你的服务器始终没有在 ${host}:${port}（实验室用 -addr 传入的地址）上监听：${end.zh}。`,
  });
}

export async function checkLengthPrefixServer(env: ExerciseEnv): Promise<Verdict[]> {
  const { host, seed } = env;
  const port = await freePort(host);
  const program = await env.start(['-addr', `${host}:${port}`], { listen: port });
  const listening = waitListening(program, host, port);
  listening.catch(() => {}); // each check awaits it and reports the failure itself
  const random = new SeededRandom(seed);
  const verdicts: Verdict[] = [];
  const check = async (name: LocalizedText, body: () => Promise<void>) =>
    verdicts.push(await verdict(name, async () => (await listening, await body())));

  await check({ en: 'One frame in one write', zh: '一次写入一帧' }, async () => {
    const payload = text('one frame');
    expectFrames(await exchange(host, port, [{ bytes: encoder.encode(payload) }]), [payload], {
      en: 'One frame sent in one write',
      zh: '一次写入发送一帧',
    });
  });

  await check({ en: 'Frames stuck together in one write', zh: '多帧粘在一次写入中' }, async () => {
    const payloads = Array.from({ length: 20 }, (_, i) => text(`message ${i}`));
    expectFrames(await exchange(host, port, [{ bytes: wire(payloads) }]), payloads, {
      en: '20 frames sent in one write',
      zh: '20 帧在一次写入中发送',
    });
  });

  await check({ en: 'Frames cut at random places', zh: '帧在随机位置被切开' }, async () => {
    const payloads = [
      text('hello'),
      text(''),
      text('sticky packets'),
      text('x'.repeat(300)),
      text('你好，TCP'),
      randomBytes(5000, random),
    ];
    const { cuts, parts } = randomSplit(wire(payloads), 12, random);
    const steps = parts.flatMap((bytes): Step[] => [{ bytes }, { pauseMs: 5 }]);
    expectFrames(await exchange(host, port, steps), payloads, {
      en: `6 frames (one empty, one of 5000 bytes) written in 13 pieces, cut at bytes ${cuts.join(', ')} (seed ${seed})`,
      zh: `6 帧（一帧为空，一帧 5000 字节）分 13 次写入，切点在第 ${cuts.join('、')} 字节（种子 ${seed}）`,
    });
  });

  await check({ en: 'One byte at a time', zh: '每次一个字节' }, async () => {
    const payloads = [text('hi'), text('tcp'), text('')];
    const steps = [...wire(payloads)].flatMap((b): Step[] => [{ bytes: Uint8Array.of(b) }, { pauseMs: 2 }]);
    expectFrames(await exchange(host, port, steps), payloads, {
      en: 'Three frames sent one byte per write',
      zh: '三帧按每次写入一个字节发送',
    });
  });

  await check({ en: 'A sender that stalls mid-frame', zh: '发送方在一帧中间停顿' }, async () => {
    const payload = text('a frame that arrives in two halves');
    const bytes = encoder.encode(payload);
    const half = 4 + 10;
    const got = await exchange(host, port, [
      { bytes: bytes.subarray(0, half) },
      { pauseMs: 300 },
      { bytes: bytes.subarray(half) },
    ]);
    expect(got.framesBeforeLastWrite === 0, {
      en: 'Your server answered a frame when only its header and 10 of its 34 bytes had arrived. Wait until the whole payload is there (io.ReadFull).',
      zh: '只收到长度头和 34 字节中的 10 字节时，你的服务器就回答了一帧。应等到整个负载都到达（io.ReadFull）。',
    });
    expectFrames(got, [payload], {
      en: 'Header and 10 bytes, a 300 ms stall, then the rest',
      zh: '先发长度头和 10 个字节，停顿 300 毫秒后再发其余部分',
    });
  });

  await check({ en: 'A zero-length frame', zh: '长度为零的帧' }, async () => {
    const payloads = [text('before'), text(''), text('after')];
    const bytes = wire(payloads);
    // The empty frame's header ends a write, and the next frame starts with a pause: nothing comes to "complete" it.
    const cut = 4 + 6 + 4;
    expectFrames(
      await exchange(host, port, [
        { bytes: bytes.subarray(0, cut - 2) },
        { pauseMs: 20 },
        { bytes: bytes.subarray(cut - 2, cut) },
        { pauseMs: 100 },
        { bytes: bytes.subarray(cut) },
      ]),
      payloads,
      {
        en: 'A frame, an empty frame (cut inside its header), then a frame',
        zh: '一帧、一个空帧（在其长度头中间切开）、再一帧',
      },
    );
  });

  await check({ en: 'A truncated frame', zh: '被截断的帧' }, async () => {
    const whole = [text('first'), text('second')];
    const partial = Buffer.concat([encoder.headerFor(100), Buffer.alloc(30, 0x61)]);
    const got = await exchange(host, port, [{ bytes: wire(whole) }, { pauseMs: 50 }, { bytes: partial }]);
    const same =
      got.frames.length === 2 &&
      got.frames.every((f, i) => Buffer.compare(Buffer.from(f), Buffer.from(whole[i]!)) === 0);
    const answered = `[${got.frames.map(show).join(', ')}]`;
    expect(same && got.ending?.startsWith('error') === true, {
      en: `Two whole frames ("first", "second"), then a header announcing 100 bytes followed by only 30 and the end of the stream. Your server should answer the two frames, then "error …" (io.ErrUnexpectedEOF), never the 30 bytes as a frame; it answered the frames ${answered} and ${got.ending ? JSON.stringify(got.ending) : 'no ending line'}.`,
      zh: `先发两整帧（"first"、"second"），再发一个声明 100 字节的长度头，后面只跟 30 字节就结束了数据流。你的服务器应回答这两帧，然后回答 "error …"（io.ErrUnexpectedEOF），绝不能把这 30 字节当成一帧；它回答的帧是 ${answered}，结尾是${got.ending ? ` ${JSON.stringify(got.ending)}` : '（没有结尾行）'}。`,
    });
  });

  await check({ en: 'Refuses a frame that is too large', zh: '拒绝过大的帧' }, async () => {
    // The connection stays open: a server that waits for 2 GiB would wait here until the checker gives up.
    const got = await exchange(host, port, [{ bytes: Uint8Array.of(0x7f, 0xff, 0xff, 0xff) }], {
      halfClose: false,
      waitMs: 3000,
    });
    expect(got.frames.length === 0 && got.ending?.startsWith('error') === true && got.closed, {
      en: `A header announcing 2 GiB, and the connection left open. Your server must answer "error …" at once and close (the maximum is maxFrame = 64 KiB): a peer must not make it wait for, or allocate, that much. It answered ${got.frames.length} frame(s), ${got.ending ? JSON.stringify(got.ending) : 'no error line'}, and ${got.closed ? 'closed' : 'kept the connection open for 3 s'}.`,
      zh: `长度头声明了 2 GiB，连接保持打开。你的服务器必须立即回答 "error …" 并关闭连接（上限是 maxFrame = 64 KiB）：不能让对端迫使它等待或分配这么多内存。它回答了 ${got.frames.length} 帧，${got.ending ? JSON.stringify(got.ending) : '没有 error 行'}，并且${got.closed ? '关闭了连接' : '让连接保持打开了 3 秒'}。`,
    });
  });

  await check({ en: 'Keeps serving after a broken peer', zh: '遇到出错的对端后继续服务' }, async () => {
    expect(!program.hasEnded(), {
      en: `After the broken streams your server is gone: ${program.describeEnd().en}. A bad connection should end that connection (return from serve), not the whole server (log.Fatal, panic).`,
      zh: `遇到出错的数据流之后你的服务器已经退出：${program.describeEnd().zh}。一个坏连接应该只结束这个连接（从 serve 返回），而不是整个服务器（log.Fatal、panic）。`,
    });
    const payload = text('still there?');
    expectFrames(await exchange(host, port, [{ bytes: encoder.encode(payload) }]), [payload], {
      en: 'A new connection with one frame, after the broken ones',
      zh: '在出错的连接之后，新连接发送一帧',
    });
  });

  return verdicts;
}
