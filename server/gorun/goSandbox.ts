// The sandbox of a Go run: bubblewrap (its own mount, user, pid, ipc and uts namespaces; only the run folder, a
// tmpfs /tmp and minimal /proc and /dev) under a uid of its own, and an nftables table that lets that uid reach only
// the loopback ports the lab allows. Pure argument builders plus a cached trial run that says whether it works here.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';

/** The uid the program runs as inside the sandbox (nobody); outside it has a uid of its own run. */
export const SANDBOX_INNER_ID = 65534;

/**
 * Outside uids of sandboxed runs: one per run, so RLIMIT_NPROC and the nftables rule bound that run alone. Spread
 * by the lab's pid so two labs on one machine do not share one; 64 at a time per lab.
 */
const RUN_UID_BASE = 1_000_000_000;
const RUN_UID_SLOTS = 64;
const usedSlots = new Set<number>();

/** A free run uid, or null when every slot is taken. Give it back with releaseRunUid. */
export function takeRunUid(): number | null {
  for (let slot = 0; slot < RUN_UID_SLOTS; slot++) {
    if (usedSlots.has(slot)) continue;
    usedSlots.add(slot);
    return RUN_UID_BASE + (process.pid % 1_000_000) * RUN_UID_SLOTS + slot;
  }
  return null;
}

export function releaseRunUid(uid: number): void {
  usedSlots.delete((uid - RUN_UID_BASE) % RUN_UID_SLOTS);
}

/**
 * bwrap's options for a run: nothing of the machine's filesystem but the run folder (bound at its own path,
 * writable; the built program is in it), a private /tmp, /proc of its own pid namespace and a minimal /dev. No
 * --unshare-net: the program keeps the machine's loopback so the lab sees its real sockets (tcpdump, /proc/net/tcp),
 * and the nftables rule bounds what it may dial. No --new-session: bwrap stays in the process group Stop kills, and
 * since it is the pid namespace's parent, killing it ends every process inside, even one that left the group.
 */
export function bwrapArgs(runDir: string): string[] {
  const id = String(SANDBOX_INNER_ID);
  return [
    '--unshare-user',
    '--uid',
    id,
    '--gid',
    id,
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--die-with-parent',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    '--bind',
    runDir,
    runDir,
    '--chdir',
    runDir,
  ];
}

/** The nftables table of one run's uid. */
export function nftTableName(uid: number): string {
  return `gonetlab_run_${uid}`;
}

/**
 * The run's nftables table: packets of sockets owned by its uid pass when they belong to a connection already
 * allowed (replies to the lab's clients, and its own allowed dials), or open a TCP connection to an allowed
 * loopback port; everything else it sends (other ports, other hosts, UDP) is rejected. Replaces a table of the same
 * name a crashed lab may have left.
 */
export function nftRuleset(uid: number, ports: readonly number[], udpPorts: readonly number[] = []): string {
  const table = `inet ${nftTableName(uid)}`;
  const allowed = [...new Set(ports)].filter((p) => Number.isInteger(p) && p > 0 && p < 65536).sort((a, b) => a - b);
  const lines = [
    `table ${table} {}`,
    `delete table ${table}`,
    `table ${table} {`,
    '  chain output {',
    '    type filter hook output priority 0; policy accept;',
    `    meta skuid ${uid} ct state established,related accept`,
  ];
  if (allowed.length > 0) {
    const set = `{ ${allowed.join(', ')} }`;
    lines.push(`    meta skuid ${uid} ip daddr 127.0.0.0/8 tcp dport ${set} ct state new accept`);
    lines.push(`    meta skuid ${uid} ip6 daddr ::1 tcp dport ${set} ct state new accept`);
  }
  // UDP to the lab's DNS server (lesson 28): a datagram has no connection to be "new", so the port alone allows it.
  const udp = [...new Set(udpPorts)].filter((p) => Number.isInteger(p) && p > 0 && p < 65536).sort((a, b) => a - b);
  if (udp.length > 0) {
    const set = `{ ${udp.join(', ')} }`;
    lines.push(`    meta skuid ${uid} ip daddr 127.0.0.0/8 udp dport ${set} accept`);
    lines.push(`    meta skuid ${uid} ip6 daddr ::1 udp dport ${set} accept`);
  }
  lines.push(`    meta skuid ${uid} reject`, '  }', '}', '');
  return lines.join('\n');
}

export function nftDeleteTable(uid: number): string {
  return `delete table inet ${nftTableName(uid)}\n`;
}

/** Runs a command (optionally as a uid) with text on stdin; resolves with its exit code and output. */
export function runTool(
  cmd: string,
  args: readonly string[],
  input = '',
  uid?: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
      ...(uid !== undefined ? { uid, gid: uid } : {}),
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.on('error', (err) => resolve({ code: null, output: err.message }));
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

export type SandboxProbe = { ok: true } | { ok: false; reason: string };

/**
 * Whether runs can be sandboxed here, by trial: the lab is root (to give each run a uid of its own), bwrap starts a
 * program with the run's namespaces and mounts as such a uid, and nft can add and remove a table.
 */
export async function probeSandbox(bwrap: string, nft: string): Promise<SandboxProbe> {
  if (process.getuid?.() !== 0)
    return { ok: false, reason: 'the lab does not run as root, so it cannot give a run a user of its own' };
  const uid = takeRunUid();
  if (uid === null) return { ok: false, reason: 'no free run uid' };
  try {
    // The run's own options over a read-only view of the machine, only so that /bin/true is there to start.
    const trial = await runTool(bwrap, ['--ro-bind', '/', '/', ...bwrapArgs(tmpdir()), '--', '/bin/true'], '', uid);
    if (trial.code !== 0)
      return {
        ok: false,
        reason: `${bwrap} did not start a program (${trial.code === null ? trial.output : `exit ${trial.code}: ${trial.output.trim()}`})`,
      };
    const add = await runTool(nft, ['-f', '-'], nftRuleset(uid, [1]));
    if (add.code !== 0)
      return { ok: false, reason: `${nft} could not add a rule (${add.output.trim() || `exit ${add.code}`})` };
    await runTool(nft, ['-f', '-'], nftDeleteTable(uid));
    return { ok: true };
  } finally {
    releaseRunUid(uid);
  }
}

/**
 * The sandboxed program's pids: bwrap (the group leader) starts its pid namespace's init, which starts the program.
 * Stop's SIGQUIT goes to them, since bwrap does not pass signals on.
 */
export function sandboxedProgramPids(leader: number): number[] {
  const procs: { pid: number; ppid: number }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so parse after the last ')'.
      const [, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(name), ppid: Number(ppid) });
    } catch {
      /* it ended meanwhile */
    }
  }
  const inits = new Set(procs.filter((p) => p.ppid === leader).map((p) => p.pid));
  return procs.filter((p) => inits.has(p.ppid)).map((p) => p.pid);
}

/** A sandboxed program's end as bwrap reports it: a program killed by a signal makes bwrap exit 128 + its number. */
export function sandboxedExit(
  code: number | null,
  signal: NodeJS.Signals | null,
): { code: number | null; signal: NodeJS.Signals | null } {
  if (signal || code === null || code <= 128) return { code, signal };
  const name = (Object.keys(constants.signals) as NodeJS.Signals[]).find((s) => constants.signals[s] === code - 128);
  return name ? { code: null, signal: name } : { code, signal };
}
