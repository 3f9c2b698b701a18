// For tests and benchmarks: a private network namespace joined to this one by a veth pair, so a client inside it
// reaches the lab from an address that is not the lab machine's, like a student's laptop on the LAN. Root only.
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface PrivateNetwork {
  name: string;
  /** The lab machine's end of the veth pair (listen on 0.0.0.0 and clients reach it here). */
  hostAddress: string;
  /** The client's address inside the namespace. */
  clientAddress: string;
  /** Starts a command inside the namespace. */
  spawn(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
  close(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** Throws with what to do when not root: tests that need a namespace fail clearly rather than skip. */
export function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${what} must run as root: it makes its own network namespace (ip netns add) and veth pair. Run it as root (e.g. sudo).`,
    );
  }
}

/** Makes a namespace and a /30 in 10.213.0.0/16 that no interface here uses yet. */
export function makePrivateNetwork(): PrivateNetwork {
  requireRoot('This test');
  const tag = randomBytes(3).toString('hex');
  const name = `gnlab-${tag}`;
  const hostIf = `gnh${tag}`;
  const clientIf = `gnc${tag}`;
  const used = ip('-4', '-o', 'addr', 'show');
  let subnet = '';
  for (let tries = 0; tries < 50 && !subnet; tries++) {
    const x = randomBytes(1)[0]!;
    const y = (randomBytes(1)[0]! & 0x3f) * 4;
    const candidate = `10.213.${x}.${y}`;
    if (!used.includes(`10.213.${x}.${y + 1}/`) && !used.includes(`10.213.${x}.${y + 2}/`)) subnet = candidate;
  }
  if (!subnet) throw new Error('no free /30 in 10.213.0.0/16');
  const [a, b, c, d] = subnet.split('.').map(Number) as [number, number, number, number];
  const hostAddress = `${a}.${b}.${c}.${d + 1}`;
  const clientAddress = `${a}.${b}.${c}.${d + 2}`;
  const close = () => {
    try {
      ip('link', 'del', hostIf); // deletes both ends
    } catch {
      // already gone
    }
    try {
      ip('netns', 'del', name);
    } catch {
      // already gone
    }
  };
  try {
    ip('netns', 'add', name);
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', clientIf);
    ip('link', 'set', clientIf, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${clientAddress}/30`, 'dev', clientIf);
    ip('netns', 'exec', name, 'ip', 'link', 'set', clientIf, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (err) {
    close();
    throw err;
  }
  return {
    name,
    hostAddress,
    clientAddress,
    spawn: (command, args, options = {}) => spawn('ip', ['netns', 'exec', name, command, ...args], options),
    close,
  };
}
