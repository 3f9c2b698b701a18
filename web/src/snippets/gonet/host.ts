// What the snippet library needs from whoever runs the snippet (the browser worker, or the Node test runner):
// where output goes, the bridge, the language for messages, the demo addresses, the limits, and which sockets
// each run opened (so the end of a run, or of one check, closes them).
import type { ErrorCode } from '@core/protocol/errors';
import { resolveRuntime, type Runtime } from '@core/runtime/scheduler';
import type { BridgeClient } from '@core/bridge/bridgeClient';

export type OutputStream = 'stdout' | 'stderr';

/** A demo's listening endpoint (the fields of the lab status that snippets need). */
export interface DemoAddress {
  name: string;
  protocol: 'tcp' | 'udp';
  host: string;
  port: number;
}

export interface SnippetHost {
  output(stream: OutputStream, text: string): void;
  bridge: BridgeClient | null;
  language: 'en' | 'zh';
  /** The lab's demo endpoints, for lab.addr('echo'). */
  demos: { id: string; endpoints: DemoAddress[] }[];
  /** Goroutines alive at once before the run is stopped. */
  maxGoroutines: number;
  /** A limit was hit: the host ends the run with this code. */
  limitExceeded(code: ErrorCode, detail: string): void;
}

let host: SnippetHost = {
  output: (_s, text) => console.log(text),
  bridge: null,
  language: 'en',
  demos: [],
  maxGoroutines: 100_000,
  limitExceeded: () => {},
};

/** Hosts of particular runs: in one process (tests, the bench) several runs may go on at once. */
const hosts = new WeakMap<Runtime, SnippetHost>();

/** The host of every run that has none of its own (a worker runs one program at a time). */
export function setHost(h: SnippetHost): void {
  host = h;
}

export function bindHost(rt: Runtime, h: SnippetHost): void {
  hosts.set(rt, h);
}

/** The host of the run whose code is calling. */
export function currentHost(): SnippetHost {
  return hosts.get(resolveRuntime()) ?? host;
}

/** Prints for the calling run; after a fatal error or a deadlock the program is gone, and prints nothing. */
export function output(stream: OutputStream, text: string): void {
  const rt = resolveRuntime();
  if (rt.halted) return;
  (hosts.get(rt) ?? host).output(stream, text);
}

interface Closable {
  close(): unknown;
}

const opened = new WeakMap<Runtime, Set<Closable>>();

/** Remembers a socket or listener a run opened. */
export function track(rt: Runtime, resource: Closable): void {
  let set = opened.get(rt);
  if (!set) opened.set(rt, (set = new Set()));
  set.add(resource);
}

export function untrack(rt: Runtime, resource: Closable): void {
  opened.get(rt)?.delete(resource);
}

/** Closes everything a run opened (its end, a stopped check). Returns how many were still open. */
export function closeAllOf(rt: Runtime): number {
  const set = opened.get(rt);
  if (!set) return 0;
  const n = set.size;
  for (const r of [...set]) r.close();
  opened.delete(rt);
  return n;
}
