// The simulated class for the classroom benchmark, run inside a private network namespace: N students join with
// the code, open the lab's WebSockets as a page does, walk lessons (fetch, report, edit) and run the echo snippet
// through the socket bridge, all at once. Prints one JSON line of timings.
import WebSocket from 'ws';
import { BridgeClient, type BridgeTransport } from '@core/bridge/bridgeClient.js';
import { BRIDGE_PATH } from '../core/protocol/bridge.js';
import { CLASSROOM_WS_PATH } from '../core/protocol/classroom.js';
import { PROTOCOL_VERSION, type LabStatus } from '../core/protocol/wire.js';
import { runHeadless } from '../web/src/snippets/headlessRun.js';

const [base, code, countText, lessonsText] = process.argv.slice(2);
const count = Number(countText);
const lessonCount = Number(lessonsText);
const wsBase = base!.replace(/^http/, 'ws');

const ECHO_SNIPPET = `import { fmt, lab, net } from 'gonet';
export async function main(): Promise<void> {
  const [conn, err] = await net.dial('tcp', lab.addr('echo'));
  if (err !== null) { fmt.println('dial:', err.message); return; }
  await conn.write('hello from a student\\n');
  const buf = new Uint8Array(256);
  const [n] = await conn.read(buf);
  fmt.printf('echoed %q\\n', new TextDecoder().decode(buf.subarray(0, n)));
  conn.close();
}
`;

const timings = { join: [] as number[], lesson: [] as number[], run: [] as number[] };
let errors = 0;
const errorSamples: string[] = [];

async function timed<T>(into: number[], f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const v = await f();
  into.push(performance.now() - t0);
  return v;
}

function openWs(url: string, cookie: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { cookie } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function student(i: number, slugs: string[]): Promise<void> {
  const join = await timed(timings.join, () =>
    fetch(`${base}/api/classroom/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, name: `Student ${i}` }),
    }),
  );
  if (!join.ok) throw new Error(`join ${join.status} ${await join.text()}`);
  const cookie = join.headers.get('set-cookie')!.split(';')[0]!;
  const get = async (p: string) => {
    const r = await fetch(`${base}${p}`, { headers: { cookie } });
    if (!r.ok) throw new Error(`${p}: ${r.status}`);
    return r.json() as Promise<unknown>;
  };
  await get('/api/classroom/me');
  const status = (await get('/api/status')) as LabStatus;
  const page = await openWs(`${wsBase}/ws`, cookie);
  page.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, build: 'dev' }));
  page.send(JSON.stringify({ type: 'subscribe', demos: ['echo'] }));
  page.on('message', () => undefined);
  const classroom = await openWs(`${wsBase}${CLASSROOM_WS_PATH}`, cookie);
  const transport = (url: string) => new WebSocket(url, { headers: { cookie } }) as unknown as BridgeTransport;
  const bridge = await BridgeClient.connect(`${wsBase}${BRIDGE_PATH}`, transport);
  try {
    for (const slug of slugs) {
      await timed(timings.lesson, () => get(`/api/lessons/${slug}`));
      classroom.send(JSON.stringify({ type: 'lesson', lesson: slug }));
      classroom.send(
        JSON.stringify({ type: 'edit', lesson: slug, file: 'start.ts', text: `${ECHO_SNIPPET}// ${i}\n` }),
      );
      const run = await timed(timings.run, () =>
        runHeadless(
          { mode: 'run', file: 'start.ts', source: ECHO_SNIPPET },
          { bridge, demos: status.demos, timeLimitMs: 60_000 },
        ),
      );
      if (!run.output.includes('echoed')) throw new Error(`run: ${run.output.slice(0, 200)}`);
      classroom.send(JSON.stringify({ type: 'run', lesson: slug, output: run.output }));
      classroom.send(
        JSON.stringify({ type: 'progress', lesson: slug, passed: 1, total: 1, solved: true, revealed: false }),
      );
    }
  } finally {
    bridge.close();
    page.close();
    classroom.close();
  }
}

const started = performance.now();
// The lesson list needs a session: one join of the benchmark's own, so every student walks the same lessons.
const probe = await fetch(`${base}/api/classroom/join`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ code, name: 'Bench probe' }),
});
const probeCookie = probe.headers.get('set-cookie')!.split(';')[0]!;
const summaries = (await (await fetch(`${base}/api/lessons`, { headers: { cookie: probeCookie } })).json()) as {
  slug: string;
}[];
const slugs = summaries.slice(0, lessonCount).map((s) => s.slug);
await Promise.all(
  Array.from({ length: count }, (_, i) =>
    student(i, slugs).catch((err: unknown) => {
      errors++;
      if (errorSamples.length < 3) errorSamples.push(String(err));
    }),
  ),
);
process.stdout.write(`${JSON.stringify({ wallMs: performance.now() - started, timings, errors, errorSamples })}\n`);
process.exit(0);
