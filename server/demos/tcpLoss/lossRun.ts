// One loss run: a fresh namespace with loss and a rate limit, tcpdump inside it, `ss -ti` polled and the kernel's
// counters read before and after, a sender and a receiver moving N bytes, then the capture analysed. Whatever
// happens (error, time limit, abort) the namespace and everything in it is gone when the promise settles.
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SocketSample, TcpLossRunResult, TcpLossSettings } from '../../../core/protocol/demos/tcpLoss.js';
import { PcapStreamDecoder } from '../../observers/capture/pcapDecoder.js';
import { analyseLoss, segmentFromPacket, type LossSegment } from './lossAnalysis.js';
import { LossNamespace, RECEIVER_PORT } from './lossNamespace.js';
import { counterDeltas, parseNetCounters } from './netCounters.js';
import { parseSsTcpInfo } from './ssTcpInfo.js';
import type { PeerLine } from './transferPeer.js';

const PEER_SCRIPT = fileURLToPath(new URL('./transferPeer.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PROGRESS_MS = 100;
const SS_INTERVAL_MS = 100;
const MAX_SOCKET_SAMPLES = 600;
/** 4 MB at 1448 bytes a segment, retransmissions and ACKs: well under this. */
const MAX_SEGMENTS = 60_000;
/** tcpdump starts in well under a second; a machine busy compiling can make it take many. */
const CAPTURE_READY_MS = 20_000;

export interface LossRunOptions {
  signal?: AbortSignal;
  onProgress?(p: { elapsedMs: number; received: number }): void;
  /** Keep the raw capture (the recording tool saves it as a pcap). */
  keepPcap?: boolean;
}

export interface LossRunOutput {
  result: TcpLossRunResult;
  pcap?: Buffer;
  segments: LossSegment[];
}

interface Capture {
  segments: LossSegment[];
  chunks: Buffer[];
  problem?: string;
  stop(): Promise<void>;
}

async function startCapture(ns: LossNamespace, keep: boolean): Promise<Capture> {
  const child = ns.spawn(
    'tcpdump',
    ['-i', 'lo', '-n', '-U', '--immediate-mode', '-B', '8192', '-s', '160', '-w', '-', `tcp port ${RECEIVER_PORT}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const decoder = new PcapStreamDecoder();
  const capture: Capture = {
    segments: [],
    chunks: [],
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
      child.kill('SIGINT'); // tcpdump flushes what it has on SIGINT
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
    },
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    if (keep) capture.chunks.push(chunk);
    for (const item of decoder.push(chunk)) {
      if (item.kind === 'packet' && capture.segments.length < MAX_SEGMENTS) {
        capture.segments.push(segmentFromPacket(item.packet));
      } else if (item.kind === 'error' && item.error.fatal) {
        capture.problem = `${item.error.code}: ${item.error.detail}`;
      }
    }
  });
  let stderr = '';
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), CAPTURE_READY_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
      if (/listening on/.test(stderr)) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    child.once('close', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ready) capture.problem = `tcpdump did not start: ${stderr.trim() || 'no output'}`;
  return capture;
}

/** Polls the sender's socket (the one whose peer is the receiver's port) until stopped. */
function pollSocket(ns: LossNamespace, t0: () => number): { samples: SocketSample[]; stop(): Promise<void> } {
  const samples: SocketSample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped && samples.length < MAX_SOCKET_SAMPLES) {
      const started = performance.now();
      try {
        const text = await ns.exec('ss', ['-tinH', 'dport', '=', `:${RECEIVER_PORT}`]);
        const s = parseSsTcpInfo(text).find((x) => x.state === 'ESTAB' || x.state === 'FIN-WAIT-1');
        if (s) {
          const { state: _state, local: _local, peer: _peer, ...figures } = s;
          samples.push({ t: (performance.now() - t0()) / 1000, ...figures });
        }
      } catch {
        // the namespace is going away
      }
      await new Promise((r) => setTimeout(r, Math.max(10, SS_INTERVAL_MS - (performance.now() - started))));
    }
  })();
  return {
    samples,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

async function readCounters(ns: LossNamespace): Promise<Map<string, number>> {
  return parseNetCounters(await ns.exec('cat', ['/proc/net/snmp', '/proc/net/netstat']));
}

export async function runLossTransfer(settings: TcpLossSettings, options: LossRunOptions = {}): Promise<LossRunOutput> {
  const ns = await LossNamespace.create();
  try {
    await ns.prepareLoopback();
    await ns.detectNetem();
    await ns.applyLoss(settings);
    const before = await readCounters(ns);
    const capture = await startCapture(ns, options.keepPcap ?? false);
    let startedAt = performance.now();
    const poller = pollSocket(ns, () => startedAt);

    const peer = ns.spawn(
      process.execPath,
      ['--import', 'tsx', PEER_SCRIPT, String(RECEIVER_PORT), String(settings.bytes), String(PROGRESS_MS)],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT },
    );
    let done: Extract<PeerLine, { type: 'done' }> | null = null;
    let lastProgress = { elapsedMs: 0, received: 0 };
    let peerError = '';
    peer.stderr!.on('data', (c: Buffer) => (peerError = (peerError + c.toString()).slice(-1000)));
    const lines = createInterface({ input: peer.stdout! });
    lines.on('line', (text) => {
      let line: PeerLine;
      try {
        line = JSON.parse(text) as PeerLine;
      } catch {
        return;
      }
      if (line.type === 'connected') startedAt = performance.now();
      else if (line.type === 'progress') {
        lastProgress = { elapsedMs: line.elapsedMs, received: line.received };
        options.onProgress?.(lastProgress);
      } else if (line.type === 'done') {
        done = line;
        options.onProgress?.({ elapsedMs: line.elapsedMs, received: line.received });
      } else peerError = line.message;
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => peer.kill('SIGKILL'), settings.timeLimitSeconds * 1000);
      const abort = () => peer.kill('SIGKILL');
      options.signal?.addEventListener('abort', abort, { once: true });
      peer.once('close', () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', abort);
        resolve();
      });
    });
    await poller.stop();
    await capture.stop();
    const after = await readCounters(ns);
    const dropped = settings.lossPercent > 0 ? await ns.droppedByRule() : 0;
    const finished = done !== null;
    const final = (done as Extract<PeerLine, { type: 'done' }> | null) ?? lastProgress;
    const segments = capture.segments;
    const result: TcpLossRunResult = {
      run: 'transfer',
      origin: 'live',
      settings,
      finished,
      elapsedMs: final.elapsedMs,
      bytesReceived: final.received,
      namespace: ns.name,
      rules: ns.rules,
      netem: ns.netem,
      droppedByRule: dropped,
      analysis: segments.length > 0 ? analyseLoss(segments) : null,
      ...(capture.problem || segments.length === 0
        ? { captureProblem: capture.problem ?? 'the capture saw no segments' }
        : {}),
      socket: poller.samples,
      counters: counterDeltas(before, after),
    };
    if (!finished && options.signal?.aborted) throw new Error('the run was stopped');
    if (!finished && peerError && lastProgress.received === 0) throw new Error(`the transfer failed: ${peerError}`);
    return { result, segments, ...(options.keepPcap ? { pcap: Buffer.concat(capture.chunks) } : {}) };
  } finally {
    await ns.close();
  }
}
