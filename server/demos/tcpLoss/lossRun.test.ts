// Real runs in the lab's own namespace (root, as on the lab's machine): real retransmissions, nothing left behind,
// nothing changed on the machine's own loopback; and what an unprivileged lab says instead.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TcpLossSettings, type TcpLossProbeResult } from '../../../core/protocol/demos/tcpLoss.js';
import { requireRoot } from '../../classroom/privateNetwork.js';
import { sweepStaleNamespaces } from './lossNamespace.js';
import { runLossTransfer } from './lossRun.js';

requireRoot('The loss-run tests');

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args).toString();
const namespaces = () => sh('ip', ['netns', 'list']);
/**
 * The machine's own state a run must not touch. Of the ruleset, only what a loss run could have added: other tests
 * on this machine (the Go sandbox's) add tables of their own while this one runs.
 */
const hostState = () => ({
  nft: sh('nft', ['list', 'ruleset'])
    .split('\n')
    .filter((l) => /gnlab_loss/.test(l)),
  qdiscs: sh('tc', ['qdisc', 'show', 'dev', 'lo']),
  lo: sh('ip', ['-d', 'link', 'show', 'lo']).replace(/\d+ bytes.*$/gm, ''),
});

/** Processes whose command line names the namespace (ip netns exec NAME …). */
function processesNaming(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(name)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

const HELPER = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('a loss run', () => {
  it('retransmits for real, counts it in the capture and the kernel, and leaves nothing behind', async () => {
    const host = hostState();
    expect(host.nft).toEqual([]);
    const progress: number[] = [];
    const { result } = await runLossTransfer(TcpLossSettings.parse({ bytes: 512 * 1024, lossPercent: 20 }), {
      onProgress: (p) => progress.push(p.received),
    });
    expect(result.finished).toBe(true);
    expect(result.bytesReceived).toBe(512 * 1024);
    expect(progress.at(-1)).toBe(512 * 1024);
    expect(result.droppedByRule).toBeGreaterThan(0);
    expect(result.captureProblem).toBeUndefined();
    const a = result.analysis!;
    expect(a.retransmissions.length).toBeGreaterThan(0);
    expect(a.duplicateAcks + a.sackAckCount).toBeGreaterThan(0);
    const retrans = result.counters.find((c) => c.name === 'Tcp:RetransSegs')!;
    expect(retrans.after - retrans.before).toBeGreaterThan(0);
    expect(result.socket.length).toBeGreaterThan(0);
    expect(result.rules.some((r) => r.includes('numgen random mod 100 < 20'))).toBe(true);
    expect(result.netem.available || (result.netem.detail ?? '').length > 0).toBe(true);

    expect(namespaces()).not.toContain(result.namespace);
    expect(processesNaming(result.namespace)).toEqual([]);
    expect(hostState()).toEqual(host);
  }, 60_000);

  it('a clean run drops nothing and retransmits next to nothing', async () => {
    const { result } = await runLossTransfer(TcpLossSettings.parse({ bytes: 256 * 1024, lossPercent: 0 }));
    expect(result.finished).toBe(true);
    expect(result.captureProblem).toBeUndefined();
    // Without the rule nothing is dropped. On a starved machine a stalled receiver can still fire a spurious timeout
    // or overflow tbf's queue, so a few retransmissions may be real; 20 % loss retransmits ~40 of these ~180 segments.
    expect(result.droppedByRule).toBe(0);
    expect(result.analysis!.retransmissions.length).toBeLessThan(10);
    expect(result.rules.some((r) => r.includes('numgen'))).toBe(false);
  }, 60_000);

  it('stopped half-way, it rejects and still removes its namespace and processes', async () => {
    const abort = new AbortController();
    let name = '';
    const run = runLossTransfer(TcpLossSettings.parse({ bytes: 4 * 1024 * 1024, lossPercent: 30, rateMbit: 5 }), {
      signal: abort.signal,
      onProgress: () => {
        name ||= namespaces()
          .split('\n')
          .map((l) => l.split(' ')[0]!)
          .find((n) => n.startsWith(`gnloss-${process.pid}-`))!;
        abort.abort();
      },
    });
    await expect(run).rejects.toThrow(/stopped/);
    expect(name).toMatch(/^gnloss-/);
    expect(namespaces()).not.toContain(name);
    expect(processesNaming(name)).toEqual([]);
  }, 60_000);
});

/** Starts the helper that makes a namespace; resolves with its name and the child. */
async function holder(mode: 'exit' | 'wait') {
  const child = spawn(process.execPath, ['--import', 'tsx', HELPER('namespaceHolder.ts'), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const name = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { child, name };
}

describe('a lab that ends without cleaning up', () => {
  it('removes its namespaces on exit', async () => {
    const { child, name } = await holder('exit');
    await new Promise((r) => child.once('close', r));
    expect(namespaces()).not.toContain(name);
  }, 30_000);

  it('killed with SIGKILL, leaves a namespace the next lab sweeps away', async () => {
    const { child, name } = await holder('wait');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    expect(namespaces()).toContain(name);
    expect(await sweepStaleNamespaces()).toContain(name);
    expect(namespaces()).not.toContain(name);
    // the sleep it had started inside is gone too
    expect(processesNaming(name)).toEqual([]);
  }, 30_000);
});

describe('without the privilege', () => {
  it('an unprivileged lab (setpriv to nobody) says it may not, with the coded reason', () => {
    const out = execFileSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        '--import',
        'tsx',
        HELPER('probeAsUser.ts'),
      ],
      { env: { PATH: process.env.PATH ?? '', HOME: '/tmp' } },
    ).toString();
    const probe = JSON.parse(out) as TcpLossProbeResult;
    expect(probe).toMatchObject({ run: 'probe', available: false, code: 'E_LOSS_NOT_PERMITTED' });
    expect(probe.detail).toMatch(/uid 65534; missing CAP_NET_ADMIN and CAP_SYS_ADMIN/);
  }, 30_000);
});
