// Checks of exercise 11. The checker's server sends length-prefixed frames over real TCP (through the lab's
// bridge) cut in hostile ways — one byte at a time, all at once, stalled mid-frame — and the student's decoder
// must give back exactly the frames that were sent. The lab's own codec builds the frames.
import { go, net, time } from 'gonet';
import { defineChecks, type CheckContext } from 'gonet/check';
import { LengthPrefixEncoder } from 'gonet/framing';
import type * as Exercise from './start';

const encoder = new LengthPrefixEncoder({ header: 'u32be' });
const text = (s: string) => new TextEncoder().encode(s);
const show = (frames: Uint8Array[]) => frames.map((f) => new TextDecoder().decode(f));

/** The payloads every TCP check sends. */
const PAYLOADS = ['hello', '', 'sticky packets', 'x'.repeat(300), '你好,TCP'].map(text);

type Step = { bytes: Uint8Array } | { pauseMs: number };

/**
 * Serves one connection that writes `steps` (bytes, then pauses), and reads it with the student's decoder,
 * one conn.read into a REUSED buffer per push. Returns the frames, copied as soon as push returned them, and,
 * for each push, how many bytes had been written before it.
 */
async function exchange(
  ex: typeof Exercise,
  steps: Step[],
  t: CheckContext,
): Promise<{ frames: Uint8Array[]; firstFrameAfter: number }> {
  const [ln, lerr] = await net.listen('tcp', '127.0.0.1:0');
  if (lerr !== null)
    t.fail({ en: `The checker could not listen: ${lerr.message}`, zh: `检查程序无法监听:${lerr.message}` });
  let written = 0;
  go(async () => {
    const [peer, aerr] = await ln.accept();
    if (aerr !== null) return;
    peer.setNoDelay(true);
    for (const step of steps) {
      if ('pauseMs' in step) await time.sleep(step.pauseMs);
      else {
        await peer.write(step.bytes);
        written += step.bytes.length;
      }
    }
    peer.close();
  });
  const [conn, derr] = await net.dial('tcp', ln.addr().string());
  if (derr !== null)
    t.fail({ en: `The checker could not connect: ${derr.message}`, zh: `检查程序无法连接:${derr.message}` });
  const decoder = new ex.FrameDecoder();
  const buf = new Uint8Array(512);
  const frames: Uint8Array[] = [];
  let firstFrameAfter = -1;
  for (;;) {
    const [n, err] = await conn.read(buf);
    if (err !== null) break;
    const out = decoder.push(buf.subarray(0, n));
    if (out.length > 0 && firstFrameAfter < 0) firstFrameAfter = written;
    for (const f of out) frames.push(f.slice());
  }
  conn.close();
  ln.close();
  return { frames, firstFrameAfter };
}

function wire(payloads: Uint8Array[]): Uint8Array {
  const parts = payloads.map((p) => encoder.encode(p));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

function expectFrames(t: CheckContext, got: Uint8Array[], want: Uint8Array[], how: { en: string; zh: string }): void {
  t.expect(got.length === want.length, {
    en: `${how.en}: the server sent ${want.length} frames, your decoder returned ${got.length}: ${JSON.stringify(show(got)).slice(0, 200)}.`,
    zh: `${how.zh}:服务器发送了 ${want.length} 帧,你的解码器返回了 ${got.length} 帧:${JSON.stringify(show(got)).slice(0, 200)}。`,
  });
  want.forEach((w, i) =>
    t.expectEqual(got[i], w, {
      en: `${how.en}: frame ${i + 1} is wrong (were bytes you kept overwritten by the next read?).`,
      zh: `${how.zh}:第 ${i + 1} 帧不对(你保留的字节是否被下一次读取覆盖了?)。`,
    }),
  );
}

export default defineChecks<typeof Exercise>([
  {
    name: { en: 'One frame in one read', zh: '一次读取正好一帧' },
    async run(ex, t) {
      const payload = text('one frame');
      const { frames } = await exchange(ex, [{ bytes: encoder.encode(payload) }], t);
      expectFrames(t, frames, [payload], { en: 'One frame sent in one write', zh: '一次写入发送一帧' });
    },
  },
  {
    name: { en: 'Frames stuck together in one write', zh: '多帧粘在一次写入中' },
    async run(ex, t) {
      const payloads = Array.from({ length: 20 }, (_, i) => text(`message ${i}`));
      const { frames } = await exchange(ex, [{ bytes: wire(payloads) }], t);
      expectFrames(t, frames, payloads, {
        en: '20 frames sent in one write (they arrive in one or two reads)',
        zh: '20 帧在一次写入中发送(它们会在一两次读取中到达)',
      });
    },
  },
  {
    name: { en: 'One byte at a time', zh: '每次一个字节' },
    timeoutMs: 8000,
    async run(ex, t) {
      const bytes = wire(PAYLOADS.slice(0, 3));
      const steps: Step[] = [];
      for (const b of bytes) steps.push({ bytes: Uint8Array.of(b) }, { pauseMs: 1 });
      const { frames } = await exchange(ex, steps, t);
      expectFrames(t, frames, PAYLOADS.slice(0, 3), {
        en: 'Frames sent one byte per write',
        zh: '每次写入只发送一个字节',
      });
    },
  },
  {
    name: { en: 'A header split across reads', zh: '长度头被拆到两次读取中' },
    async run(ex, t) {
      const bytes = wire([text('split header')]);
      const { frames } = await exchange(
        ex,
        [{ bytes: bytes.subarray(0, 2) }, { pauseMs: 50 }, { bytes: bytes.subarray(2) }],
        t,
      );
      expectFrames(t, frames, [text('split header')], {
        en: 'Two bytes of the header, a pause, then the rest',
        zh: '先发长度头的两个字节,停顿后再发其余部分',
      });
    },
  },
  {
    name: { en: 'A sender that stalls mid-frame', zh: '发送方在一帧中间停顿' },
    async run(ex, t) {
      const payload = text('a frame that arrives in two halves');
      const bytes = encoder.encode(payload);
      const half = 4 + 10;
      const { frames, firstFrameAfter } = await exchange(
        ex,
        [{ bytes: bytes.subarray(0, half) }, { pauseMs: 300 }, { bytes: bytes.subarray(half) }],
        t,
      );
      t.expect(firstFrameAfter !== half, {
        en: 'Your decoder returned a frame when only half of it had arrived. Wait until the whole payload is there.',
        zh: '只收到半帧时你的解码器就返回了一帧。应等到整个负载都到达后再返回。',
      });
      expectFrames(t, frames, [payload], {
        en: 'Header and 10 bytes, a 300 ms stall, then the rest',
        zh: '先发长度头和 10 个字节,停顿 300 毫秒后再发其余部分',
      });
    },
  },
  {
    name: { en: 'Every possible split (no network)', zh: '所有可能的切分方式(不经网络)' },
    run(ex, t) {
      const payloads = [text('ab'), text(''), text('cde')];
      const bytes = wire(payloads);
      // Every way to cut the stream into three chunks, each fed to a fresh decoder with a reused buffer.
      for (let i = 0; i <= bytes.length; i++) {
        for (let j = i; j <= bytes.length; j++) {
          const decoder = new ex.FrameDecoder();
          const scratch = new Uint8Array(bytes.length);
          const got: Uint8Array[] = [];
          for (const [a, b] of [
            [0, i],
            [i, j],
            [j, bytes.length],
          ] as const) {
            scratch.fill(0xee);
            scratch.set(bytes.subarray(a, b));
            for (const f of decoder.push(scratch.subarray(0, b - a))) got.push(f.slice());
          }
          expectFrames(t, got, payloads, {
            en: `Stream of ${bytes.length} bytes cut at ${i} and ${j}`,
            zh: `${bytes.length} 字节的数据流在 ${i} 和 ${j} 处切开`,
          });
        }
      }
    },
  },
  {
    name: { en: 'Refuses a frame that is too large', zh: '拒绝过大的帧' },
    run(ex, t) {
      const header = new Uint8Array([0x7f, 0xff, 0xff, 0xff]);
      let threw = false;
      let frames: Uint8Array[] = [];
      try {
        frames = new ex.FrameDecoder().push(header);
      } catch {
        threw = true;
      }
      t.expect(threw && frames.length === 0, {
        en: `A header announcing 2 GiB must make push() throw at once (the maximum is MAX_FRAME = ${ex.MAX_FRAME} bytes); a peer must not make you wait for, or allocate, that much.`,
        zh: `声明 2 GiB 的长度头必须让 push() 立即抛出错误(上限是 MAX_FRAME = ${ex.MAX_FRAME} 字节);不能让对端迫使你等待或分配这么多内存。`,
      });
    },
  },
]);
