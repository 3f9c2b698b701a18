// Reads what the lab needs from /proc/PID/status (threads, resident memory, context switches) and from a
// process's tasks (/proc/PID/task: one entry per thread, each with stat and schedstat). Pure; the I/O is in
// processSampler.ts.

export interface ProcessStatus {
  name: string;
  /** Threads: the kernel's count of the process's threads. */
  threads: number;
  /** VmRSS in KiB: resident memory. */
  rssKiB: number;
  voluntaryCtxtSwitches: number;
  nonvoluntaryCtxtSwitches: number;
}

/** Parses /proc/PID/status; null when a field the lab needs is missing (the process ended mid-read, or a kernel thread). */
export function parseProcessStatus(text: string): ProcessStatus | null {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const int = (key: string) => {
    const m = /^(\d+)/.exec(fields.get(key) ?? '');
    return m ? Number(m[1]) : null;
  };
  const threads = int('Threads');
  const rss = int('VmRSS');
  if (threads === null || rss === null) return null;
  return {
    name: fields.get('Name') ?? '',
    threads,
    rssKiB: rss,
    voluntaryCtxtSwitches: int('voluntary_ctxt_switches') ?? 0,
    nonvoluntaryCtxtSwitches: int('nonvoluntary_ctxt_switches') ?? 0,
  };
}

/** The thread ids of a /proc/PID/task listing (its directory entries); anything that is not a number is left out. */
export function parseTaskListing(entries: readonly string[]): number[] {
  return entries
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .sort((a, b) => a - b);
}

/** One thread's counters from /proc/PID/task/TID/stat and .../schedstat. */
export interface TaskStat {
  tid: number;
  /** The one-letter state: R running, S sleeping, D disk wait, T stopped, Z zombie, ... */
  state: string;
  /** User and system CPU time, in clock ticks (USER_HZ, 100 a second on Linux). */
  utimeTicks: number;
  stimeTicks: number;
  /** From schedstat: nanoseconds on a CPU, and how many times the thread was given a CPU (its time slices). */
  runNs: number;
  timeslices: number;
}

/**
 * Parses a task's stat line and schedstat line. The command name in stat is in parentheses and may itself hold
 * spaces and parentheses, so fields are counted from the last ')'. schedstat may be absent (kernels without
 * CONFIG_SCHEDSTATS): then runNs and timeslices are 0.
 */
export function parseTaskStat(stat: string, schedstat = ''): TaskStat | null {
  const close = stat.lastIndexOf(')');
  const tid = Number(/^\s*(\d+)/.exec(stat)?.[1]);
  if (close < 0 || !Number.isInteger(tid)) return null;
  // After ')': state is field 3; utime and stime are fields 14 and 15 (1-based, man 5 proc).
  const rest = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const state = rest[0];
  const utime = Number(rest[14 - 3]);
  const stime = Number(rest[15 - 3]);
  if (!state || !Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  const [runNs = 0, , timeslices = 0] = schedstat.trim().split(/\s+/).map(Number);
  return {
    tid,
    state,
    utimeTicks: utime,
    stimeTicks: stime,
    runNs: Number.isFinite(runNs) ? runNs : 0,
    timeslices: Number.isFinite(timeslices) ? timeslices : 0,
  };
}

/** What a process's threads did between two readings: CPU time and CPU hand-outs, per second of the window. */
export interface TaskActivity {
  /** Threads present in both readings. */
  threads: number;
  /** Threads in state R at the second reading. */
  running: number;
  /** CPU milliseconds per second, all threads together (from utime+stime ticks, USER_HZ). */
  cpuMsPerSecond: number;
  /** Times a thread was put on a CPU, per second, all threads together (schedstat); 0 without schedstats. */
  wakeupsPerSecond: number;
}

/** Compares two readings of the same process's tasks taken windowMs apart (threads that came or went are left out). */
export function taskActivity(
  before: readonly TaskStat[],
  after: readonly TaskStat[],
  windowMs: number,
  ticksPerSecond = 100,
): TaskActivity {
  const earlier = new Map(before.map((t) => [t.tid, t]));
  let ticks = 0;
  let slices = 0;
  let threads = 0;
  for (const t of after) {
    const b = earlier.get(t.tid);
    if (!b) continue;
    threads++;
    ticks += t.utimeTicks + t.stimeTicks - (b.utimeTicks + b.stimeTicks);
    slices += t.timeslices - b.timeslices;
  }
  const seconds = windowMs / 1000;
  return {
    threads,
    running: after.filter((t) => t.state === 'R').length,
    cpuMsPerSecond: seconds > 0 ? (ticks * (1000 / ticksPerSecond)) / seconds : 0,
    wakeupsPerSecond: seconds > 0 ? slices / seconds : 0,
  };
}
