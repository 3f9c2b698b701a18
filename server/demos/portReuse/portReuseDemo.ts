// The port-reuse demo of lesson 29: a server restarted while its old connection sits in TIME_WAIT, with
// SO_REUSEADDR cleared or set; two live listeners on one port; and SO_REUSEPORT's spread of connections across K
// listener processes. The listeners are a small Go program (reuseProgram/main.go) the lab builds and runs; the
// clients are Node sockets; the TIME_WAIT row comes from the kernel's table.
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { LabError } from '../../../core/protocol/errors.js';
import {
  PORT_REUSE_COMMANDS,
  PORT_REUSE_DEMO,
  type LiveResult,
  type PortReuseRunResult,
  type QueueResult,
  type RestartResult,
  type SpreadResult,
} from '../../../core/protocol/demos/portReuse.js';
import type { DemoEndpoint } from '../../../core/protocol/wire.js';
import { readTcpSockets } from '../../observers/kernel/procNetUdp.js';
import { demoCommands, type Demo, type DemoContext, type ScenarioContext } from '../demo.js';
import { DemoLifecycle } from '../demoLifecycle.js';
import { lineOf, listenOutcome, portOf } from './helperLines.js';
import { ReuseHelper, type HelperBuildOptions } from './reuseHelperBuild.js';
import { ReuseHelperProcess } from './reuseHelperProcess.js';
import { askListener, askMany, type ClientOutcome } from './spreadClients.js';
import { connectionRow, hashSourceAddress, sameListenerTuples, tallyAnswers } from './spreadTally.js';

/** Runs at once, over all pages: a spread run starts up to 8 processes and 1,000 connections. */
const MAX_RUNS = 2;
/** Connections a spread run keeps open at once. */
const PARALLEL = 50;
const CLIENT_TIMEOUT_MS = 5000;
/** Tries per 4-tuple in the hash check. */
const HASH_REPEATS = 5;
/** 25 ms apart: up to 2 s for the closed connection to reach TIME_WAIT in the kernel's table. */
const TABLE_TRIES = 80;
/** The queue run: answers stop coming for this long once every client is connected, so the rest are queued. */
const QUIET_MS = 1000;

export type PortReuseDemoOptions = HelperBuildOptions;

export class PortReuseDemo implements Demo {
  readonly id = PORT_REUSE_DEMO;
  readonly title = { en: 'Port reuse (SO_REUSEADDR, SO_REUSEPORT)', zh: '端口复用（SO_REUSEADDR、SO_REUSEPORT）' };
  readonly portCount = 0;

  private readonly helper: ReuseHelper;
  private readonly processes = new Set<ReuseHelperProcess>();
  private activeRuns = 0;
  private running = false;
  private readonly life = new DemoLifecycle({ stats: { intervalMs: 60_000, publish: () => {}, publishOnStop: false } });

  constructor(options: PortReuseDemoOptions = {}) {
    this.helper = new ReuseHelper(options);
  }

  private get host(): string {
    return this.life.host;
  }

  async start(ctx: DemoContext): Promise<void> {
    this.life.begin(ctx);
    this.running = true;
    this.life.started();
  }

  async stop(): Promise<void> {
    await this.life.stop(async () => {
      if (!this.running) return false;
      this.running = false;
      for (const p of this.processes) p.kill();
      await Promise.all([...this.processes].map((p) => p.done));
      return true;
    });
  }

  /** Nothing listens between runs: each run's listeners live only as long as the run. */
  endpoints(): DemoEndpoint[] {
    return [];
  }

  readonly commands = demoCommands(PORT_REUSE_COMMANDS, {
    restart: (args) => this.run(() => this.restart(args.firstReuseAddr, args.restartReuseAddr)),
    live: (args) => this.run(() => this.live(args.reusePort)),
    spread: (args) => this.run(() => this.spread(args.listeners, args.connections, args.hashTuples)),
    queue: (args) => this.run(() => this.queue(args.listeners, args.connections)),
  });

  /** Headless scenario: each run once, with the lesson's settings. */
  async scenario({ signal }: ScenarioContext): Promise<void> {
    const steps: Array<() => Promise<unknown>> = [
      () => this.run(() => this.restart(false, false)),
      () => this.run(() => this.restart(true, true)),
      () => this.run(() => this.live(false)),
      () => this.run(() => this.live(true)),
      () => this.run(() => this.spread(4, 1000, 10)),
      () => this.run(() => this.queue(4, 100)),
    ];
    for (const step of steps) {
      if (signal.aborted) return;
      await step();
    }
  }

  /** One bounded run: Linux only, at most MAX_RUNS at once; its outcome published as an event. */
  private async run<R extends PortReuseRunResult>(body: () => Promise<R>): Promise<R> {
    if (process.platform !== 'linux') throw new LabError('E_PORT_REUSE_NOT_LINUX');
    if (!this.running) throw new LabError('E_ACTION_FAILED', 'the port-reuse demo is not running');
    if (this.activeRuns >= MAX_RUNS)
      throw new LabError('E_DEMO_IN_USE', `${MAX_RUNS} port-reuse runs are going already`);
    this.activeRuns++;
    try {
      const result = await body();
      this.life.emit({ kind: 'portReuse.runEnd', source: result.run === 'restart' ? 'polled' : 'observed', result });
      return result;
    } finally {
      this.activeRuns--;
    }
  }

  /** Starts the helper with these flags; the demo kills whatever is left of it when it stops. */
  private async launch(args: string[]): Promise<ReuseHelperProcess> {
    const binary = await this.helper.path();
    const p = new ReuseHelperProcess(binary, ['-host', this.host, ...args]);
    this.processes.add(p);
    void p.done.then(() => this.processes.delete(p));
    return p;
  }

  /** The first server serves one connection and closes it first; a second process listens on the same port. */
  async restart(firstReuseAddr: boolean, restartReuseAddr: boolean): Promise<RestartResult> {
    const first = await this.launch(['-mode', 'serve', `-reuseaddr=${firstReuseAddr}`]);
    try {
      const listening = await first.next(lineOf('listen'));
      const port = portOf(listening.addr);
      if (!listening.ok || port === null)
        throw new LabError('E_PORT_REUSE_HELPER_FAILED', listening.error ?? 'the first server did not listen');
      await readToEnd(this.host, port);
      const served = await first.next(lineOf('served'));
      await first.finish();
      const { row, from } = await timeWaitRow(served.local, served.remote);
      const second = await this.launch(['-mode', 'listen', '-port', String(port), `-reuseaddr=${restartReuseAddr}`]);
      try {
        const outcome = await second.next(lineOf('listen'));
        return {
          run: 'restart',
          port,
          firstReuseAddr,
          restartReuseAddr,
          served: { local: served.local, remote: served.remote },
          timeWait: row,
          tableFrom: from,
          restart: listenOutcome(outcome),
        };
      } finally {
        await second.finish();
      }
    } finally {
      first.kill();
    }
  }

  /** Two listeners on one port in one process, both with SO_REUSEADDR (and SO_REUSEPORT when asked). */
  async live(reusePort: boolean): Promise<LiveResult> {
    const p = await this.launch(['-mode', 'twice', '-reuseaddr=true', `-reuseport=${reusePort}`]);
    try {
      const first = await p.next(lineOf('first'));
      if (!first.ok) throw new LabError('E_PORT_REUSE_HELPER_FAILED', first.error ?? 'the first listen failed');
      const second = await p.next(lineOf('second'));
      return { run: 'live', reusePort, first: listenOutcome(first), second: listenOutcome(second) };
    } finally {
      await p.finish();
    }
  }

  /** K listener processes on one port; the first with hold=true never accepts until closed (the queue run). */
  private async group(listeners: number, holdFirst: boolean): Promise<{ port: number; group: ReuseHelperProcess[] }> {
    const group: ReuseHelperProcess[] = [];
    try {
      let port = 0;
      for (let id = 0; id < listeners; id++) {
        const flags = ['-mode', 'group', '-id', String(id), '-port', String(port)];
        const p = await this.launch(holdFirst && id === 0 ? [...flags, '-hold'] : flags);
        group.push(p);
        const up = await p.next(lineOf('listen'));
        if (!up.ok) throw new LabError('E_PORT_REUSE_HELPER_FAILED', up.error ?? `listener ${id} did not listen`);
        port = portOf(up.addr) ?? 0;
      }
      return { port, group };
    } catch (err) {
      for (const p of group) p.kill();
      throw err;
    }
  }

  /** Closes every listener of a group and reads the count each printed. */
  private async closeGroup(group: ReuseHelperProcess[]): Promise<number[]> {
    const accepted: number[] = [];
    for (const p of group) p.tell('close');
    for (const p of group) {
      const closed = await p.next(lineOf('closed'));
      accepted[closed.id] = closed.accepted;
      await p.finish();
    }
    return accepted;
  }

  /** `parallel`: connections open at once (the benchmark compares the lab's 50 with a plain loop's 1). */
  async spread(listeners: number, connections: number, hashTuples: number, parallel = PARALLEL): Promise<SpreadResult> {
    const { port, group } = await this.group(listeners, false);
    try {
      const started = performance.now();
      const outcomes = await askMany(connections, parallel, { host: this.host, port, timeoutMs: CLIENT_TIMEOUT_MS });
      const ms = Math.round(performance.now() - started);
      const { counts, unanswered } = tallyAnswers(
        outcomes.map((o) => o.listener),
        listeners,
      );
      const tries: Array<Array<number | null>> = [];
      for (let t = 0; t < hashTuples; t++) {
        const answers: Array<number | null> = [];
        let localPort = 0;
        for (let r = 0; r < HASH_REPEATS; r++) {
          const o: ClientOutcome = await askListener({
            host: this.host,
            port,
            timeoutMs: CLIENT_TIMEOUT_MS,
            localAddress: hashSourceAddress(this.host, t),
            ...(localPort ? { localPort } : {}),
          });
          localPort ||= o.localPort;
          answers.push(o.listener);
          if (!localPort) break;
        }
        tries.push(answers);
      }
      const accepted = await this.closeGroup(group);
      return {
        run: 'spread',
        port,
        listeners,
        connections,
        counts,
        accepted,
        failed: unanswered,
        hash: { tuples: hashTuples, repeats: HASH_REPEATS, sameListener: sameListenerTuples(tries) },
        ms,
      };
    } finally {
      for (const p of group) p.kill();
    }
  }

  async queue(listeners: number, connections: number): Promise<QueueResult> {
    const { port, group } = await this.group(listeners, true);
    try {
      let connected = 0;
      let answered = 0;
      let lastAnswer = performance.now();
      const pending = Array.from({ length: connections }, () =>
        askListener({
          host: this.host,
          port,
          timeoutMs: CLIENT_TIMEOUT_MS * 2,
          onConnect: () => connected++,
        }).then((o) => {
          if (o.end === 'answered') {
            answered++;
            lastAnswer = performance.now();
          }
          return o;
        }),
      );
      // Every client connected, and no answer for a while: those left wait in listener 0's queue.
      const deadline = performance.now() + CLIENT_TIMEOUT_MS;
      while (performance.now() < deadline && (connected < connections || performance.now() - lastAnswer < QUIET_MS))
        await delay(25);
      const answeredBeforeClose = answered;
      const queued = connected - answeredBeforeClose;
      group[0]!.tell('close');
      const outcomes = await Promise.all(pending);
      const { counts } = tallyAnswers(
        outcomes.map((o) => o.listener),
        listeners,
      );
      const reset = outcomes.filter((o) => o.end === 'reset').length;
      await this.closeGroup(group);
      return {
        run: 'queue',
        port,
        listeners,
        connections,
        queued,
        reset,
        answeredAfterClose: answered - answeredBeforeClose,
        counts,
        migrateReq: await migrateReq(),
      };
    } finally {
      for (const p of group) p.kill();
    }
  }
}

/** Connects, reads until the server closes, and closes: the server closed first, so its end waits in TIME_WAIT. */
function readToEnd(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.resume();
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
}

/** The connection's server end as the kernel's table lists it, once it is in TIME_WAIT (or the last row seen). */
async function timeWaitRow(local: string, remote: string): Promise<{ row: RestartResult['timeWait']; from: string }> {
  let row: RestartResult['timeWait'] = null;
  try {
    for (let i = 0; i < TABLE_TRIES; i++) {
      const found = connectionRow(await readTcpSockets(), local, remote);
      if (found) row = { local: found.local, remote: found.remote, state: found.state, timerMs: found.timerMs ?? null };
      if (found?.state === 'TIME_WAIT') break;
      await delay(25);
    }
    return { row, from: '/proc/net/tcp' };
  } catch (err) {
    return { row: null, from: `the kernel's table could not be read: ${String(err)}` };
  }
}

/** net.ipv4.tcp_migrate_req, or null where the kernel has no such setting (before Linux 5.14). */
async function migrateReq(): Promise<number | null> {
  try {
    const n = Number((await readFile('/proc/sys/net/ipv4/tcp_migrate_req', 'utf8')).trim());
    return Number.isInteger(n) ? n : null;
  } catch {
    return null;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
