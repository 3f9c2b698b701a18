// Netpoller demo events (lesson 30): a run's settings and machine, its progress, and for each server the threads,
// memory and system calls measured on the real process. Shared by server and web.
import type { WireError } from '../errors.js';
import type { NetpollerRunArgs, NetpollerServer } from '../demos/netpoller.js';

/** The machine the figures come from (named beside every figure). */
export interface NetpollerMachine {
  cpu: string;
  cores: number;
  kernel: string;
  /** e.g. "go1.19.8 linux/amd64"; null when Go is not installed. */
  go: string | null;
  node: string;
}

/** How often one system call was made, per second of the traced window. */
export interface SyscallRate {
  syscall: string;
  perSecond: number;
  /** Calls that returned an error (a non-blocking read's EAGAIN is one). */
  errorsPerSecond: number;
}

/** System calls counted by `strace -f -c -p PID` over the traced window. */
export interface StraceCount {
  by: 'strace';
  /** The traced window as it really lasted (strace's attach to every thread included). */
  windowMs: number;
  totalPerSecond: number;
  /** Every call seen, most frequent first. */
  rates: SyscallRate[];
  /**
   * strace's own cost: the busy clients' round trips per second while traced. Every call stops the thread twice
   * for the tracer, so the traced server runs slower than the untraced one (compare with roundTripsPerSecond).
   */
  tracedRoundTripsPerSecond: number;
}

/** Why system calls could not be counted here (no strace, or no ptrace permission). */
export interface SyscallsUnavailable {
  by: 'none';
  reason: string;
}

/** One server's figures, all from its real process (source 'observed'), or from a recorded run (see recorded). */
export interface ServerMeasurement {
  server: NetpollerServer;
  pid: number;
  /** Threads from /proc/PID/status, and the entries of /proc/PID/task (the same count, read two ways). */
  threads: number;
  tasks: number;
  rssKiB: number;
  /** Connections the load generator had open while measuring. */
  idle: number;
  busy: number;
  /** Round trips per second of the busy clients, untraced. */
  roundTripsPerSecond: number;
  /** From /proc/PID/task/*\/stat and schedstat over the untraced window: CPU time and CPU hand-outs per second. */
  cpuMsPerSecond: number;
  wakeupsPerSecond: number;
  syscalls: StraceCount | SyscallsUnavailable;
  /** The untraced window's length. */
  windowMs: number;
  /** What the server is built from: "go1.19.8 linux/amd64", "node v20.x". */
  runtime: string;
  /** Present when these figures are a recording the lab made earlier (Go is missing here): when and where. */
  recorded?: { at: string; machine: NetpollerMachine };
}

export type NetpollerPhase = 'building' | 'starting' | 'connecting' | 'measuring' | 'tracing' | 'done';

export type NetpollerEvent =
  | ({ kind: 'netpoller.runStart'; source: 'observed'; machine: NetpollerMachine } & NetpollerRunArgs)
  /** Where the run is: which server and what it is doing (a run takes seconds). */
  | {
      kind: 'netpoller.progress';
      source: 'observed';
      server: NetpollerServer;
      phase: NetpollerPhase;
      /** While connecting: connections open so far, of `of`. */
      connected?: number;
      of?: number;
      atMs: number;
    }
  | ({ kind: 'netpoller.result'; source: 'observed' } & ServerMeasurement)
  | { kind: 'netpoller.serverFailed'; source: 'observed'; server: NetpollerServer; error: WireError }
  | { kind: 'netpoller.runEnd'; source: 'observed'; stoppedEarly: boolean };
