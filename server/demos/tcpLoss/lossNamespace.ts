// The private network namespace of one loss run: made with a unique name, its loopback set up like a 1500-byte
// link, loss added with nftables and a rate limit with tc, and everything removed when the run ends (also when the
// lab exits, and stale ones from a lab that crashed are swept at start). Nothing here touches the machine's own lo.
import { execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TcpLossSettings } from '../../../core/protocol/demos/tcpLoss.js';
import { findExecutable } from '../../observers/capture/captureObserver.js';

/** The receiver's port inside the namespace: the namespace is the run's own, so a fixed port cannot collide. */
export const RECEIVER_PORT = 5001;
const NAME_PREFIX = 'gnloss-';
const TABLE = 'gnlab_loss';
/** Like Ethernet: 1500-byte packets, and no 64 KB GSO super-segments (one drop would be 40 segments at once). */
const LINK_MTU = 1500;
const EXEC_TIMEOUT_MS = 10_000;

export const LOSS_TOOLS = ['ip', 'nft', 'tc', 'ss', 'tcpdump', 'unshare'] as const;

/** Bits of CapEff in /proc/self/status (linux/capability.h). */
const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;

/** Whether this process may make namespaces and rules: root, or both capabilities in its effective set. Pure. */
export function namespacePrivilege(uid: number, procStatus: string): { allowed: boolean; missing: string[] } {
  if (uid === 0) return { allowed: true, missing: [] };
  const hex = /^CapEff:\s*([0-9a-f]+)/im.exec(procStatus)?.[1];
  const caps = hex ? BigInt(`0x${hex}`) : 0n;
  const missing = [
    ...((caps >> CAP_NET_ADMIN) & 1n ? [] : ['CAP_NET_ADMIN']),
    ...((caps >> CAP_SYS_ADMIN) & 1n ? [] : ['CAP_SYS_ADMIN']),
  ];
  return { allowed: missing.length === 0, missing };
}

export function currentPrivilege(): { allowed: boolean; missing: string[] } {
  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    // not Linux: no capabilities to read
  }
  return namespacePrivilege(process.getuid?.() ?? -1, status);
}

export function missingTools(envPath = process.env.PATH ?? ''): string[] {
  return LOSS_TOOLS.filter((tool) => !findExecutable(tool, envPath));
}

export function run(command: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: EXEC_TIMEOUT_MS, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')}: ${String(stderr).trim() || err.message}`));
      else resolve(String(stdout));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** The nft ruleset text of a run: drop P % of the chosen direction's segments as they arrive (never SYNs). */
export function lossRuleset(settings: Pick<TcpLossSettings, 'lossPercent' | 'direction'>): string {
  // Dropped on input, after the segment has left the sender: dropped on output, the sender's own stack would be
  // told (EPERM) and simply send again at once, which is not loss at all.
  const match = settings.direction === 'data' ? `tcp dport ${RECEIVER_PORT}` : `tcp sport ${RECEIVER_PORT}`;
  return [
    `table inet ${TABLE} {`,
    `  chain input {`,
    `    type filter hook input priority 0; policy accept;`,
    `    ${match} tcp flags & syn == 0 numgen random mod 100 < ${settings.lossPercent} counter drop`,
    `  }`,
    `}`,
  ].join('\n');
}

/** The tc arguments for the rate limit (tbf), or netem (delay, and its own rate) where the kernel has it. */
export function qdiscArgs(settings: Pick<TcpLossSettings, 'rateMbit' | 'delayMs'>, netem: boolean): string[] | null {
  if (netem && settings.delayMs > 0) {
    return [
      'netem',
      'delay',
      `${settings.delayMs}ms`,
      ...(settings.rateMbit > 0 ? ['rate', `${settings.rateMbit}mbit`] : []),
    ];
  }
  if (settings.rateMbit <= 0) return null;
  // A burst of at least one full packet; 200 ms of queue before tbf drops (a drop here would be loss of its own).
  const burstBytes = Math.max(16 * 1024, Math.ceil((settings.rateMbit * 1e6) / 8 / 250));
  return ['tbf', 'rate', `${settings.rateMbit}mbit`, 'burst', String(burstBytes), 'latency', '200ms'];
}

const live = new Set<LossNamespace>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A lab stopped by a signal or an error still removes its namespaces (the children are killed with them).
  process.once('exit', () => {
    for (const ns of live) ns.closeNow();
  });
}

/** Namespaces named by a lab process that no longer runs (killed with SIGKILL, or the machine lost power). */
export function staleNamespaces(list: string, isAlive: (pid: number) => boolean): string[] {
  return list
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name.startsWith(NAME_PREFIX))
    .filter((name) => {
      const pid = Number(name.slice(NAME_PREFIX.length).split('-')[0]);
      return Number.isInteger(pid) && pid > 0 && !isAlive(pid);
    });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already exited
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes namespaces left by a crashed lab; returns their names. */
export async function sweepStaleNamespaces(): Promise<string[]> {
  const stale = staleNamespaces(await run('ip', ['netns', 'list']), pidAlive);
  for (const name of stale) {
    // A process left inside (the dead lab's tcpdump or peer) would keep the namespace's network alive.
    const pids = await run('ip', ['netns', 'pids', name]).catch(() => '');
    for (const pid of pids.split(/\s+/).filter(Boolean)) killQuietly(Number(pid));
    await run('ip', ['netns', 'del', name]).catch(() => undefined);
  }
  return stale;
}

export class LossNamespace {
  private readonly children = new Set<ChildProcess>();
  private closed = false;
  /** What the run set up, as commands, for the view and the lesson. */
  readonly rules: string[] = [];
  netem: { available: boolean; detail?: string } = { available: false };

  private constructor(readonly name: string) {}

  /** `gnloss-<lab pid>-<random>`: unique, and tells a later lab whether its owner is still alive. */
  static async create(): Promise<LossNamespace> {
    installExitHook();
    const ns = new LossNamespace(`${NAME_PREFIX}${process.pid}-${randomBytes(3).toString('hex')}`);
    await run('ip', ['netns', 'add', ns.name]);
    live.add(ns);
    return ns;
  }

  exec(command: string, args: readonly string[], input?: string): Promise<string> {
    return run('ip', ['netns', 'exec', this.name, command, ...args], input);
  }

  spawn(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.name, command, ...args], options);
    this.children.add(child);
    child.once('close', () => this.children.delete(child));
    return child;
  }

  /** Loopback up at 1500 bytes, without GSO, so each captured packet is one segment on the wire. */
  async prepareLoopback(): Promise<void> {
    await this.exec('ip', ['link', 'set', 'lo', 'mtu', String(LINK_MTU), 'up']);
    this.rules.push(`ip link set lo mtu ${LINK_MTU} up`);
    try {
      await this.exec('ip', ['link', 'set', 'lo', 'gso_max_size', String(LINK_MTU), 'gso_max_segs', '1']);
      this.rules.push(`ip link set lo gso_max_size ${LINK_MTU} gso_max_segs 1`);
    } catch (err) {
      this.rules.push(`(GSO left on: ${(err as Error).message})`);
    }
  }

  /** Does this kernel have netem? Tried on the namespace's own lo, then removed. */
  async detectNetem(): Promise<void> {
    try {
      await this.exec('tc', ['qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']);
      await this.exec('tc', ['qdisc', 'del', 'dev', 'lo', 'root']);
      this.netem = { available: true };
    } catch (err) {
      this.netem = { available: false, detail: (err as Error).message.split(': ').slice(1).join(': ').trim() };
    }
  }

  async applyLoss(settings: TcpLossSettings): Promise<void> {
    if (settings.lossPercent > 0) {
      const ruleset = lossRuleset(settings);
      await this.exec('nft', ['-f', '-'], ruleset);
      this.rules.push(ruleset.split('\n')[3]!.trim());
    }
    const qdisc = qdiscArgs(settings, this.netem.available);
    if (qdisc) {
      await this.exec('tc', ['qdisc', 'add', 'dev', 'lo', 'root', ...qdisc]);
      this.rules.push(`tc qdisc add dev lo root ${qdisc.join(' ')}`);
    }
  }

  /** Packets the loss rule has dropped so far (null when there is no rule). */
  async droppedByRule(): Promise<number | null> {
    try {
      const text = await this.exec('nft', ['list', 'chain', 'inet', TABLE, 'input']);
      const m = /counter packets (\d+)/.exec(text);
      return m ? Number(m[1]) : null;
    } catch {
      return null;
    }
  }

  /** Kills what runs inside, then deletes the namespace (its lo, rules and qdiscs go with it). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const waits = [...this.children].map(
      (c) =>
        new Promise<void>((resolve) =>
          c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('close', () => resolve()),
        ),
    );
    for (const c of this.children) c.kill('SIGKILL');
    await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, 2000))]);
    await this.killLeftovers();
    await run('ip', ['netns', 'del', this.name]).catch(() => undefined);
    live.delete(this);
  }

  /** On process exit: synchronous, best effort. */
  closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.children) c.kill('SIGKILL');
    try {
      const pids = execFileSync('ip', ['netns', 'pids', this.name]).toString();
      for (const pid of pids.split(/\s+/).filter(Boolean)) killQuietly(Number(pid));
    } catch {
      // gone already
    }
    try {
      execFileSync('ip', ['netns', 'del', this.name], { stdio: 'ignore' });
    } catch {
      // gone already
    }
  }

  /** Any process still in the namespace (a grandchild the kill missed) is ended: it would keep the namespace alive. */
  private async killLeftovers(): Promise<void> {
    const pids = await run('ip', ['netns', 'pids', this.name]).catch(() => '');
    for (const pid of pids.split(/\s+/).filter(Boolean)) killQuietly(Number(pid));
  }
}
