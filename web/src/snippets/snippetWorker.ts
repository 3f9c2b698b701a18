// The Web Worker a snippet runs in: opens the socket bridge, runs the student's code on the goroutine runtime
// and posts its output. Student code never runs on the lab server; the page terminates this worker to stop it.
/// <reference lib="webworker" />
import { wireError } from '@core/protocol/errors';
import { BridgeClient, BridgeError, type BridgeTransport } from '@core/bridge/bridgeClient';
import { resolveRuntime } from '@core/runtime/scheduler';
import { setHost } from './gonet/host';
import { localRunDemo, RunEventForwarder } from './runEventForwarder';
import { SnippetRunner } from './snippetRunner';
import { ALIVE_INTERVAL_MS, type FromWorker, type ToWorker } from './workerMessages';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: FromWorker) => self.postMessage(m);
let bridgeReady: Promise<BridgeClient | null> = Promise.resolve(null);

setInterval(() => post({ type: 'alive' }), ALIVE_INTERVAL_MS);

/** Output is sent in batches: a tight print loop must not flood the page with one message per line. */
class OutputBatcher {
  private text = '';
  private stream: 'stdout' | 'stderr' = 'stdout';
  private timer: ReturnType<typeof setTimeout> | null = null;

  push(stream: 'stdout' | 'stderr', text: string): void {
    if (stream !== this.stream) this.flush();
    this.stream = stream;
    this.text += text;
    if (this.text.length > 64 * 1024) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), 16);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.text === '') return;
    post({ type: 'output', stream: this.stream, text: this.text });
    this.text = '';
  }
}

async function run(m: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const started = performance.now();
  const out = new OutputBatcher();
  let bytes = 0;
  let stoppedBy: string | null = null;
  const bridge = await bridgeReady;
  // The run's goroutines go to the page under the demo id its sockets use, so the views show both together.
  const forwarder = m.instrument
    ? new RunEventForwarder({
        demo: bridge?.demo ?? localRunDemo(),
        post: (events) => post({ type: 'events', events }),
      })
    : null;
  const runner = new SnippetRunner({
    ...(forwarder ? { runtimeEvent: forwarder.push } : {}),
    check: (result) => {
      out.flush();
      post({ type: 'check', result });
    },
    checkStarted: (index, name) => post({ type: 'checkStarted', index, name }),
  });
  const limit = (code: Parameters<typeof wireError>[0], detail: string) => {
    if (stoppedBy) return;
    stoppedBy = code;
    out.flush();
    post({ type: 'limit', code, detail });
    runner.stop();
  };
  setHost({
    output(stream, text) {
      if (stoppedBy) return;
      bytes += text.length;
      if (bytes > m.limits.maxOutputBytes)
        return limit('E_SNIPPET_OUTPUT_LIMIT', `more than ${m.limits.maxOutputBytes} bytes of output`);
      out.push(stream, text);
    },
    bridge,
    language: m.language,
    demos: m.demos,
    maxGoroutines: m.limits.maxGoroutines,
    limitExceeded: limit,
  });
  // console.log in a snippet prints to the lab's console pane, as fmt.println does.
  // A program ended by a fatal error or a deadlock prints nothing more (Go's program is gone by then).
  const print =
    (stream: 'stdout' | 'stderr') =>
    (...args: unknown[]) => {
      if (!resolveRuntime().halted)
        out.push(stream, `${args.map((a) => (typeof a === 'string' ? a : safeString(a))).join(' ')}\n`);
    };
  console.log = print('stdout');
  console.info = print('stdout');
  console.warn = print('stderr');
  console.error = print('stderr');
  const outcome = await runner.run(m.request);
  forwarder?.flush();
  out.flush();
  post({ type: 'done', outcome, ms: performance.now() - started });
}

function safeString(v: unknown): string {
  if (v instanceof Error) return v.message;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  if (m.type === 'init') {
    bridgeReady = BridgeClient.connect(m.bridgeUrl, (url) => new WebSocket(url) as unknown as BridgeTransport).then(
      (client) => {
        client.onNotice = (error) => post({ type: 'notice', error });
        client.onLost = (error) => post({ type: 'notice', error });
        post({ type: 'ready', demo: client.demo });
        return client;
      },
      (err: unknown) => {
        post({
          type: 'bridgeFailed',
          error: err instanceof BridgeError ? err.error : wireError('E_BRIDGE_CLOSED', String(err)),
        });
        return null;
      },
    );
  } else if (m.type === 'run') {
    void run(m).catch((err: unknown) => {
      post({ type: 'output', stream: 'stderr', text: `internal error: ${String(err)}\n` });
      post({ type: 'done', outcome: { status: 'fatal', report: String(err), position: null, leaks: [] }, ms: 0 });
    });
  }
};

export {};
