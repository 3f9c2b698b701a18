// Flow-graph figures: frames per second in Chromium while scrolling a recording of 10,000 captured segments
// (one long connection, decoded by the lab's own capture pipeline), end to end and back. Needs `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium, startLab } from './labProcess.js';
import { CaptureProcessor } from '../server/observers/capture/captureProcessor.js';
import { LINK_TYPE, TCP_FLAG } from '../server/observers/capture/frameDecoder.js';
import {
  buildPcap,
  buildTcpIpPacket,
  wrapInLinkLayer,
  type PcapRecordSpec,
} from '../server/observers/capture/pcapBuilder.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SEGMENTS = 10_000;
const TARGET_FPS = 50;

/** One connection: handshake, request/ACK pairs, teardown — 10,000 segments through the real decoder and tracker. */
function recordingFile(): { text: string; segments: number } {
  const { SYN, ACK, PSH, FIN } = TCP_FLAG;
  const C = { sourcePort: 50000, destinationPort: 7405 };
  const S = { sourcePort: 7405, destinationPort: 50000 };
  const ci = 1_000_000;
  const si = 3_000_000_000;
  const frames: Uint8Array[] = [
    buildTcpIpPacket({
      ...C,
      seq: ci,
      flags: SYN,
      options: [
        { kind: 'mss', value: 65495 },
        { kind: 'wscale', shift: 7 },
      ],
    }),
    buildTcpIpPacket({
      ...S,
      seq: si,
      ack: ci + 1,
      flags: SYN | ACK,
      options: [
        { kind: 'mss', value: 65495 },
        { kind: 'wscale', shift: 7 },
      ],
    }),
    buildTcpIpPacket({ ...C, seq: ci + 1, ack: si + 1, flags: ACK }),
  ];
  const payload = new Uint8Array(32).fill(0x78);
  let c = ci + 1;
  for (let i = 0; frames.length < SEGMENTS - 3; i++) {
    frames.push(buildTcpIpPacket({ ...C, seq: c, ack: si + 1, flags: PSH | ACK, payload }));
    c += payload.length;
    frames.push(buildTcpIpPacket({ ...S, seq: si + 1, ack: c, flags: ACK }));
  }
  frames.push(buildTcpIpPacket({ ...C, seq: c, ack: si + 1, flags: FIN | ACK }));
  frames.push(buildTcpIpPacket({ ...S, seq: si + 1, ack: c + 1, flags: FIN | ACK }));
  frames.push(buildTcpIpPacket({ ...C, seq: c + 1, ack: si + 2, flags: ACK }));
  const t0 = Math.floor(Date.now() / 1000);
  const records: PcapRecordSpec[] = frames.map((f, i) => ({
    tsSec: t0 + Math.floor(i / 1000),
    tsFraction: (i % 1000) * 1000,
    frame: wrapInLinkLayer(f, LINK_TYPE.EN10MB),
  }));
  const events = new CaptureProcessor().push(buildPcap({ linkType: LINK_TYPE.EN10MB }, records));
  const segments = events.filter((e) => e.kind === 'packet.segment');
  const file = {
    format: 'gonet-lab-recording',
    version: 1,
    scenario: 'bench',
    server: '127.0.0.1:7405',
    clients: ['127.0.0.1:50000'],
    capture: { status: 'capturing' },
    events: events.filter((e) => e.kind === 'packet.segment' || e.kind === 'tcpState.inferred'),
  };
  return { text: JSON.stringify(file), segments: segments.length };
}

export async function run(): Promise<void> {
  if (!existsSync(`${root}/dist/web/index.html`)) {
    console.log('  no build: run `npm run build` first');
    return;
  }
  const { text, segments } = recordingFile();
  console.log(
    `recording: ${segments.toLocaleString('en-US')} captured segments of one connection (${(text.length / 1e6).toFixed(1)} MB of JSON)`,
  );
  const lab = await startLab();
  try {
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${lab.url}/#/04-handshake`);
    await page.getByTestId('handshake-scenarios').waitFor();
    const t0 = Date.now();
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'bench.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForSelector(`[data-testid=flow-graph][data-segments="${segments}"]`, { timeout: 60_000 });
    console.log(`  loaded and laid out in ${Date.now() - t0} ms`);

    // Scroll the whole recording, a little every frame (about 120 rows a second), and back; count frames.
    const result = (await page.evaluate(`new Promise((resolve) => {
      const el = document.querySelector('[data-testid=flow-scroll]');
      const max = el.scrollHeight - el.clientHeight;
      const step = 60;
      let frames = 0, worst = 0, over20 = 0, last = performance.now(), dir = 1, passes = 0;
      const start = last;
      const tick = (now) => {
        frames++; const gap = now - last; worst = Math.max(worst, gap); if (gap > 20) over20++; last = now;
        el.scrollTop += dir * step;
        if (dir > 0 && el.scrollTop >= max) { dir = -1; passes++; }
        else if (dir < 0 && el.scrollTop <= 0) { dir = 1; passes++; }
        if (now - start < 8000) requestAnimationFrame(tick);
        else resolve({ fps: frames * 1000 / (now - start), worst, over20, frames, rowsInDom: document.querySelectorAll('[data-testid=flow-row]').length, max, passes });
      };
      requestAnimationFrame(tick);
    })`)) as {
      fps: number;
      worst: number;
      over20: number;
      frames: number;
      rowsInDom: number;
      max: number;
      passes: number;
    };
    const calibration = (await page.evaluate(
      `new Promise((resolve) => { let f = 0; const s = performance.now(); const t = (n) => { f++; if (n - s < 2000) requestAnimationFrame(t); else resolve(f * 1000 / (n - s)); }; requestAnimationFrame(t); })`,
    )) as number;
    console.log(`  same page, not scrolling (this machine's ceiling): ${calibration.toFixed(1)} fps`);
    console.log(
      `  scrolling ${segments.toLocaleString('en-US')} segments (${(result.max / 1000).toFixed(0)}k px, 60 px per frame, 8 s): ${result.fps.toFixed(1)} fps ${result.fps >= TARGET_FPS ? '≥' : '<'} ${TARGET_FPS}; worst frame ${result.worst.toFixed(0)} ms; ${result.over20} of ${result.frames} frames over 20 ms; ${result.rowsInDom} rows in the DOM`,
    );
    await browser.close();
  } finally {
    lab.stop();
  }
}
