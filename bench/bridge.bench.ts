// Snippet and socket-bridge figures, in Debian's Chromium against a real lab server (needs `npm run build`):
// Run → first output line of the echo snippet (median of 20), MB/s through one bridged connection (a snippet
// streaming to the lab's echo server and reading the echo), and 1,000 bridged connections open at once in one
// session. The same two bridge snippets also run from Node (the bridge client over the `ws` package) for comparison.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/chromiumOptions.js';
import { startLab } from './labProcess.js';
import { BRIDGE_PATH } from '../core/protocol/bridge.js';
import type { LabStatus } from '../core/protocol/wire.js';
import { nodeTransport } from '../server/bridge/testLabServer.js';
import { BridgeClient } from '@core/bridge/bridgeClient.js';
import { runHeadless } from '../web/src/snippets/headlessRun.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 20;
const LESSON = '12-bounded-dialer';

const ECHO_SNIPPET = readFileSync(new URL('../e2e/snippetPage.ts', import.meta.url), 'utf8')
  .match(/ECHO_SNIPPET = `([\s\S]*?)`;/)![1]!
  .replace(/\\\\n/g, '\\n');

const STREAM_MIB = 128;
const STREAM_SNIPPET = `import { chan, fmt, go, lab, net, time } from 'gonet';
export async function main(): Promise<void> {
  const [conn, err] = await net.dial('tcp', lab.addr('echo'));
  if (err !== null) { fmt.println('dial:', err.message); return; }
  const total = ${STREAM_MIB} * 1024 * 1024;
  const block = new Uint8Array(64 * 1024).fill(120);
  const done = chan<number>(1);
  go(async () => {
    const buf = new Uint8Array(256 * 1024);
    let got = 0;
    while (got < total) {
      const [n, rerr] = await conn.read(buf);
      if (rerr !== null) break;
      got += n;
    }
    await done.send(got);
  });
  const started = time.now();
  for (let sent = 0; sent < total; sent += block.length) await conn.write(block);
  const [got] = await done.recv();
  const ms = time.since(started);
  fmt.printf('RESULT stream %d %.1f\\n', got, ms);
  conn.close();
}
`;

const CONNS = 1000;
const MANY_SNIPPET = `import { chan, close, fmt, go, lab, net, time, WaitGroup } from 'gonet';
export async function main(): Promise<void> {
  const n = ${CONNS};
  const opened = new WaitGroup();
  const finished = new WaitGroup();
  const release = chan<void>();
  let ok = 0;
  let failed = '';
  let roundTrips = 0;
  const started = time.now();
  for (let i = 0; i < n; i++) {
    opened.add(1);
    finished.add(1);
    go(async () => {
      const [c, err] = await net.dial('tcp', lab.addr('echo'));
      if (err !== null) { failed = err.message; opened.done(); finished.done(); return; }
      const buf = new Uint8Array(64);
      await c.write('conn ' + i + '\\n');
      await c.read(buf);
      ok++;
      opened.done();
      await release.recv();
      // Every conn, all at once: ten round trips each.
      for (let k = 0; k < 10; k++) {
        await c.write('ping\\n');
        const [m] = await c.read(buf);
        if (m > 0) roundTrips++;
      }
      c.close();
      finished.done();
    });
  }
  await opened.wait();
  const openMs = time.since(started);
  const t1 = time.now();
  close(release);
  await finished.wait();
  const rtMs = time.since(t1);
  fmt.printf('RESULT many %d %.1f %d %.1f %s\\n', ok, openMs, roundTrips, rtMs, failed === '' ? '-' : JSON.stringify(failed));
}
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * A page of Debian's Chromium driven over the DevTools protocol with Runtime.evaluate only. Playwright enables
 * network tracking for pages and workers, which reports every WebSocket frame to the driver and would make the
 * bridge look several times slower than it is for a student.
 */
class BarePage {
  private nextId = 0;
  private readonly pending = new Map<number, (v: { result?: { result?: { value?: unknown } } }) => void>();

  private constructor(
    private readonly chrome: ChildProcess,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { id?: number; result?: { result?: { value?: unknown } } };
      if (m.id !== undefined) {
        this.pending.get(m.id)?.(m);
        this.pending.delete(m.id);
      }
    });
  }

  static async launch(): Promise<BarePage> {
    const profile = mkdtempSync(path.join(tmpdir(), 'gonet-bench-'));
    const chrome = spawn(
      chromiumExecutable(),
      [...CHROMIUM_ARGS, '--headless', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const endpoint = await new Promise<string>((resolve, reject) => {
      chrome.stderr!.on('data', (d: Buffer) => {
        const m = /DevTools listening on (ws:\S+)/.exec(d.toString());
        if (m) resolve(m[1]!);
      });
      chrome.once('exit', (code) => reject(new Error(`chromium exited with ${code}`)));
    });
    const targets = (await (await fetch(`http://127.0.0.1:${new URL(endpoint).port}/json/list`)).json()) as {
      type: string;
      webSocketDebuggerUrl: string;
    }[];
    const ws = new WebSocket(targets.find((t) => t.type === 'page')!.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new BarePage(chrome, ws);
  }

  private call(method: string, params: object): Promise<{ result?: { result?: { value?: unknown } } }> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.call('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    return r.result?.result?.value as T;
  }

  async goto(url: string): Promise<void> {
    await this.call('Page.navigate', { url });
  }

  async waitFor(expression: string, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await this.evaluate<boolean>(expression))) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    this.ws.close();
    this.chrome.kill();
  }
}

const STATUS = `document.querySelector('[data-testid="snippet-status"]')`;

/** Opens the lesson with `source` as the student's saved edit, so the editor holds it. */
async function openWithSnippet(page: BarePage, labUrl: string, source: string): Promise<void> {
  await page.goto(`${labUrl}/`);
  await page.waitFor(`document.readyState === 'complete'`, 20_000);
  await page.evaluate(
    `localStorage.setItem(${JSON.stringify(`gonet-lab:snippet:${LESSON}:start.ts`)}, ${JSON.stringify(source)}); true`,
  );
  await page.goto(`${labUrl}/#/${LESSON}`);
  await page.waitFor(`['ready','finished'].includes(${STATUS}?.getAttribute('data-phase'))`, 30_000);
}

/** Clicks Run; resolves with the milliseconds until the first console line appeared, and the console at the end. */
async function timedRun(page: BarePage, timeoutMs: number): Promise<{ firstMs: number; output: string }> {
  await page.waitFor(`['ready','finished'].includes(${STATUS}?.getAttribute('data-phase'))`, 20_000);
  const runs = await page.evaluate<number>(`Number(${STATUS}.getAttribute('data-runs'))`);
  const firstMs = await page.evaluate<number>(`new Promise((resolve) => {
    const pane = document.querySelector('[data-testid="snippet-console"] pre');
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      if (pane.querySelector('[data-testid="console-line"]')) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(pane, { childList: true, subtree: true });
    document.querySelector('[data-testid="snippet-run"]').click();
  })`);
  await page.waitFor(
    `${STATUS}.getAttribute('data-runs') === '${runs + 1}' && ${STATUS}.getAttribute('data-phase') === 'finished'`,
    timeoutMs,
  );
  return {
    firstMs,
    output: await page.evaluate<string>(`document.querySelector('[data-testid="snippet-console"]').innerText`),
  };
}

function report(where: string, output: string): void {
  const stream = /RESULT stream (\d+) ([\d.]+)/.exec(output);
  if (stream) {
    const bytes = Number(stream[1]);
    const ms = Number(stream[2]);
    console.log(
      `  ${where}: one bridged conn to the echo demo: ${(bytes / 1048576).toFixed(0)} MiB each way in ${ms.toFixed(0)} ms = ${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s each way (target ≥ 50)`,
    );
  }
  const many = /RESULT many (\d+) ([\d.]+) (\d+) ([\d.]+) (.*)/.exec(output);
  if (many) {
    console.log(
      `  ${where}: ${many[1]} of ${CONNS} bridged conns open at once in one session, each dialled and echoed, in ${Number(many[2]).toFixed(0)} ms; ` +
        `then ${many[3]} round trips on all of them at once in ${Number(many[4]).toFixed(0)} ms (${((Number(many[3]) / Number(many[4])) * 1000).toFixed(0)}/s)` +
        (many[5] !== '-' ? `; a refusal: ${many[5]}` : ''),
    );
  }
  if (!stream && !many) console.log(`  ${where}: no result; console said:\n${output.slice(0, 600)}`);
}

export async function run(): Promise<void> {
  if (!existsSync(`${root}/dist/web/index.html`)) {
    console.log('  no build: run `npm run build` first');
    return;
  }
  console.log(
    `  machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (other work shares the CPUs)`,
  );
  const lab = await startLab();
  const page = await BarePage.launch();
  try {
    await openWithSnippet(page, lab.url, ECHO_SNIPPET);
    await timedRun(page, 20_000); // warm-up: the worker chunk and sucrase load once per page
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { firstMs, output } = await timedRun(page, 20_000);
      if (!output.includes('echoed')) throw new Error(`echo snippet failed: ${output}`);
      times.push(firstMs);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `  Chromium: Run → first output line of the echo snippet: median ${median(times).toFixed(0)} ms ` +
        `(min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}, ${RUNS} runs; target ≤ 300 ms)`,
    );

    await openWithSnippet(page, lab.url, STREAM_SNIPPET);
    for (let i = 0; i < 3; i++) report(`Chromium (run ${i + 1} of 3)`, (await timedRun(page, 120_000)).output);
    await openWithSnippet(page, lab.url, MANY_SNIPPET);
    report('Chromium', (await timedRun(page, 120_000)).output);

    // The same snippets from Node: the bridge client over \`ws\` (which masks in JavaScript), the runner in-process.
    const status = (await (await fetch(`${lab.url}/api/status`)).json()) as LabStatus;
    const url = `${lab.url.replace(/^http/, 'ws')}${BRIDGE_PATH}`;
    for (const source of [STREAM_SNIPPET, MANY_SNIPPET]) {
      const bridge = await BridgeClient.connect(url, nodeTransport);
      const r = await runHeadless(
        { mode: 'run', file: 'bench.ts', source },
        { bridge, demos: status.demos, timeLimitMs: 120_000 },
      );
      bridge.close();
      report('Node', r.output);
    }
  } finally {
    page.close();
    // Let the lab print its goodbye while this process still reads its output.
    const exited = new Promise((resolve) => lab.child.once('exit', resolve));
    lab.stop();
    await exited;
  }
}
