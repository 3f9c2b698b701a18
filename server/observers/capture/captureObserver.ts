// Runs `tcpdump -U -w -` on loopback for the lab's ports and publishes what it captures; says why when capture is unavailable. The child never outlives its demo or the server.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { LocalizedText, WireError } from '../../../core/protocol/errors.js';
import { wireError } from '../../../core/protocol/errors.js';
import type { CaptureStatus } from '../../../core/protocol/events/packet.js';
import { CaptureProcessor, type CaptureEventBody } from './captureProcessor.js';

export interface CaptureObserverOptions {
  /** The lab ports whose traffic is captured (either end). */
  ports: readonly number[];
  /** Which transports to capture on those ports (default TCP only). */
  protocols?: readonly CaptureProtocol[];
  emit(body: CaptureEventBody): void;
  /** Default: `lo` on Linux, `lo0` elsewhere. */
  interfaceName?: string;
  /** A name looked up on PATH, or a path. Default `tcpdump`. */
  tcpdump?: string;
  /** Linux, when the lab runs as root: run tcpdump as this unprivileged user (how the no-permission path is tested). */
  runAsUser?: string;
  /** Extra tcpdump options before the filter, e.g. `--time-stamp-precision=nano` or `-y LINUX_SLL`. */
  extraArgs?: readonly string[];
  /** How long tcpdump may take to say it is listening. Default 5000 ms. */
  readyTimeoutMs?: number;
  inferStates?: boolean;
  /** Frame bytes kept per segment's hex (default 2048); the TLS demo asks for whole frames to read records. */
  maxHexBytes?: number;
  /**
   * Ask libpcap to hand over each packet at once (default true). On Linux's `any` device immediate mode has been
   * seen to stall part of a capture, so captures there turn it off and accept the ring buffer's ~1 s delay.
   */
  immediate?: boolean;
  /** Environment for the child (tests point PATH elsewhere). Default: the server's. */
  env?: NodeJS.ProcessEnv;
}

export interface CaptureOutcome {
  status: CaptureStatus;
  error?: WireError;
  howToEnable?: LocalizedText;
  enableCommand?: string;
}

export type CaptureProtocol = 'tcp' | 'udp';

/** `tcp and (port 7401 or port 7402)`, `(tcp or udp) and (port 7420)`; throws on a port that is not one. */
export function captureFilter(ports: readonly number[], protocols: readonly CaptureProtocol[] = ['tcp']): string {
  if (ports.length === 0) throw new RangeError('capture needs at least one port');
  if (protocols.length === 0) throw new RangeError('capture needs at least one protocol');
  for (const p of ports) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new RangeError(`not a port: ${p}`);
  const kinds = [...new Set(protocols)];
  const transport = kinds.length === 1 ? kinds[0]! : `(${kinds.join(' or ')})`;
  return `${transport} and (${[...new Set(ports)].map((p) => `port ${p}`).join(' or ')})`;
}

/** Looks a command up on PATH the way a shell would; null when there is no executable of that name. */
export function findExecutable(name: string, envPath = process.env.PATH ?? ''): string | null {
  const candidates = name.includes('/')
    ? [name]
    : envPath
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

const PERMISSION_PATTERNS = [/permission/i, /not permitted/i, /EPERM/, /cannot open BPF/i];

/**
 * Explains why tcpdump could not start, from what it printed; pure.
 * @example explainCaptureFailure("tcpdump: lo: You don't have permission to perform this capture on that device", 'linux', '/usr/bin/tcpdump')
 */
export function explainCaptureFailure(stderr: string, platform: NodeJS.Platform, tcpdumpPath: string): CaptureOutcome {
  const detail = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 400) || 'tcpdump exited without saying why';
  if (PERMISSION_PATTERNS.some((re) => re.test(stderr))) {
    if (platform === 'darwin') {
      return {
        status: 'unavailable',
        error: wireError('E_CAPTURE_NOT_PERMITTED', detail),
        howToEnable: {
          en: "Let your user read the packet-capture devices (Wireshark's ChmodBPF does this at every boot), or run the lab with sudo. Then restart the lab.",
          zh: '让当前用户可以读取抓包设备（Wireshark 附带的 ChmodBPF 会在每次开机时设置），或用 sudo 运行实验室。然后重启实验室。',
        },
        enableCommand: 'sudo chmod o+r /dev/bpf*',
      };
    }
    return {
      status: 'unavailable',
      error: wireError('E_CAPTURE_NOT_PERMITTED', detail),
      howToEnable: {
        en: 'Give tcpdump the two capabilities it needs, once, so any user can capture; or run the lab with sudo. Then restart the lab.',
        zh: '为 tcpdump 授予它需要的两项能力（只需一次），之后任何用户都能抓包；或者用 sudo 运行实验室。然后重启实验室。',
      },
      enableCommand: `sudo setcap cap_net_raw,cap_net_admin=eip ${tcpdumpPath}`,
    };
  }
  return { status: 'failed', error: wireError('E_CAPTURE_FAILED', detail) };
}

export function missingTcpdump(platform: NodeJS.Platform, name: string): CaptureOutcome {
  return {
    status: 'unavailable',
    error: wireError('E_CAPTURE_NO_TCPDUMP', `no executable "${name}" on PATH`),
    howToEnable:
      platform === 'darwin'
        ? {
            en: 'macOS ships tcpdump in /usr/sbin; make sure it is on PATH, then restart the lab.',
            zh: 'macOS 自带 tcpdump（位于 /usr/sbin）；请确认它在 PATH 中，然后重启实验室。',
          }
        : {
            en: 'Install tcpdump with your package manager, then restart the lab.',
            zh: '用系统的包管理器安装 tcpdump，然后重启实验室。',
          },
    enableCommand: platform === 'darwin' ? 'export PATH="$PATH:/usr/sbin"' : 'sudo apt-get install tcpdump',
  };
}

// Every live tcpdump, so a server that exits (even on an uncaught error) takes them along.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of liveChildren) c.kill('SIGKILL');
    });
  }
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

/** How many capture processes this server is running (tests check that none is left behind). */
export function liveCaptureCount(): number {
  return liveChildren.size;
}

export class CaptureObserver {
  private child: ChildProcess | null = null;
  private processor: CaptureProcessor | null = null;
  private stopping = false;
  private exited: Promise<void> = Promise.resolve();
  private readonly filter: string;
  private readonly interfaceName: string;
  private lastDataAt = 0;
  /** The newest events, so waitFor also finds what arrived before it was called. */
  private recent: CaptureEventBody[] = [];
  private readonly waiters = new Set<{ match: (e: CaptureEventBody) => boolean; resolve: (found: boolean) => void }>();

  constructor(private readonly options: CaptureObserverOptions) {
    this.filter = captureFilter(options.ports, options.protocols);
    this.interfaceName = options.interfaceName ?? (process.platform === 'linux' ? 'lo' : 'lo0');
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** The capture process's id while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get stats(): CaptureProcessor['stats'] | null {
    return this.processor?.stats ?? null;
  }

  /** Starts tcpdump and resolves once it is listening (so the next SYN is captured), or with why it cannot. */
  async start(): Promise<CaptureOutcome> {
    if (this.child) return { status: 'capturing' };
    const platform = process.platform;
    const name = this.options.tcpdump ?? 'tcpdump';
    const env = this.options.env ?? process.env;
    const tcpdumpPath = findExecutable(name, env.PATH ?? '');
    if (!tcpdumpPath) return this.report(missingTcpdump(platform, name));

    const { command, args } = this.commandLine(tcpdumpPath);
    const processor = new CaptureProcessor({
      inferStates: this.options.inferStates,
      maxHexBytes: this.options.maxHexBytes,
    });
    this.processor = processor;
    this.recent = [];
    this.stopping = false;
    let child: ChildProcess;
    try {
      child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    } catch (err) {
      return this.report({ status: 'failed', error: wireError('E_CAPTURE_FAILED', String(err)) });
    }
    track(child);
    this.child = child;
    let stderr = '';
    let ready = false;

    child.stdout!.on('data', (chunk: Buffer) => {
      this.lastDataAt = performance.now();
      for (const e of processor.push(chunk)) this.publish(e);
    });
    const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    this.exited = closed.then(() => undefined);

    const outcome = await new Promise<CaptureOutcome>((resolve) => {
      const timer = setTimeout(() => {
        resolve({
          status: 'failed',
          error: wireError(
            'E_CAPTURE_FAILED',
            `tcpdump did not start listening within ${this.options.readyTimeoutMs ?? 5000} ms`,
          ),
        });
      }, this.options.readyTimeoutMs ?? 5000);
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-4096);
        if (!ready && /listening on/.test(stderr)) {
          ready = true;
          clearTimeout(timer);
          resolve({ status: 'capturing' });
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        resolve({ status: 'failed', error: wireError('E_CAPTURE_FAILED', err.message) });
      });
      void closed.then(() => {
        clearTimeout(timer);
        resolve(explainCaptureFailure(stderr, platform, tcpdumpPath));
      });
    });

    if (outcome.status !== 'capturing') {
      await this.kill();
      return this.report(outcome);
    }
    this.report(outcome);
    void closed.then((code) => {
      // Whatever ended it, finish the stream so a half-written record is reported, not silently lost.
      for (const e of processor.end()) this.publish(e);
      this.child = null;
      if (this.stopping) return;
      const detail = `tcpdump exited (code ${code ?? 'signal'}): ${stderr.trim().split('\n').slice(-2).join(' ')}`;
      this.report({ status: 'failed', error: wireError('E_CAPTURE_FAILED', detail) });
    });
    return outcome;
  }

  /**
   * Resolves true as soon as the capture has produced an event that matches (e.g. the last ACK of a teardown),
   * false after `timeoutMs`. tcpdump is a separate process: on a busy machine its output can lag the sockets.
   */
  waitFor(match: (e: CaptureEventBody) => boolean, timeoutMs = 2000): Promise<boolean> {
    if (this.recent.some(match)) return Promise.resolve(true);
    if (!this.child) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        match,
        resolve: (found: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(found);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /**
   * Stops tcpdump and resolves when it has exited and its output is decoded. Segments still on their way
   * through the capture buffer get a chance to arrive first: it waits until the output has been quiet for
   * `quietMs` (at most `maxDrainMs`), because a SIGTERM drops whatever tcpdump has not read yet.
   */
  async stop(quietMs = 40, maxDrainMs = 1000): Promise<void> {
    if (!this.child || this.stopping) return this.exited;
    this.stopping = true;
    const deadline = performance.now() + maxDrainMs;
    for (;;) {
      const quietFor = performance.now() - this.lastDataAt;
      if (quietFor >= quietMs || performance.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, quietMs - quietFor));
    }
    await this.kill();
    for (const w of [...this.waiters]) w.resolve(false);
    this.report({ status: 'stopped' });
  }

  private publish(e: CaptureEventBody): void {
    this.recent.push(e);
    if (this.recent.length > 8192) this.recent = this.recent.slice(-4096);
    this.options.emit(e);
    for (const w of [...this.waiters]) if (w.match(e)) w.resolve(true);
  }

  private async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 1000);
      await this.exited;
      clearTimeout(forced);
    } else {
      await this.exited;
    }
    this.child = null;
  }

  private commandLine(tcpdumpPath: string): { command: string; args: string[] } {
    const asRoot = process.getuid?.() === 0 && !this.options.runAsUser;
    const tcpdumpArgs = [
      '-U', // write each packet as it arrives
      // ...and have libpcap hand it over at once, not when a ring-buffer block fills or times out
      ...((this.options.immediate ?? this.interfaceName !== 'any') ? ['--immediate-mode'] : []),
      '-n',
      '-i',
      this.interfaceName,
      '-w',
      '-',
      // tcpdump started as root drops to its own user; a credential change would cancel the parent-death signal below.
      ...(asRoot && process.platform === 'linux' ? ['-Z', 'root'] : []),
      ...(this.options.extraArgs ?? []),
      this.filter,
    ];
    const setpriv =
      process.platform === 'linux' ? findExecutable('setpriv', process.env.PATH ?? '/usr/bin:/bin') : null;
    if (!setpriv) {
      if (this.options.runAsUser) throw new Error('runAsUser needs setpriv (util-linux)');
      return { command: tcpdumpPath, args: tcpdumpArgs };
    }
    // The kernel kills tcpdump if the server dies without cleaning up (SIGKILL, crash): PR_SET_PDEATHSIG.
    const user = this.options.runAsUser
      ? [
          '--reuid',
          this.options.runAsUser,
          '--regid',
          this.options.runAsUser === 'nobody' ? 'nogroup' : this.options.runAsUser,
          '--clear-groups',
        ]
      : [];
    return { command: setpriv, args: [...user, '--pdeathsig', 'KILL', '--', tcpdumpPath, ...tcpdumpArgs] };
  }

  private report(outcome: CaptureOutcome): CaptureOutcome {
    const event: CaptureEventBody = {
      kind: 'packet.captureStatus',
      source: 'observed',
      status: outcome.status,
      filter: this.filter,
      interface: this.interfaceName,
    };
    if (outcome.error) event.error = outcome.error;
    if (outcome.howToEnable) event.howToEnable = outcome.howToEnable;
    if (outcome.enableCommand) event.enableCommand = outcome.enableCommand;
    const linkType = this.processor?.linkType;
    if (linkType) event.linkType = linkType;
    const stats = this.processor?.stats;
    if (stats && outcome.status !== 'unavailable') {
      event.stats = {
        records: stats.records,
        tcpPackets: stats.tcpPackets,
        udpDatagrams: stats.udpDatagrams,
        skipped: stats.skipped,
        malformed: stats.malformed,
      };
    }
    this.publish(event);
    return outcome;
  }
}
