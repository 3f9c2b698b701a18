// Turns what the lab read from a server process into the figures the view shows: system calls per second by
// kind, the calls that wait for I/O grouped, and the machine the figures come from. Pure.
import type { NetpollerMachine, SyscallRate } from '../../../core/protocol/events/netpoller.js';
import type { StraceSummary } from '../../observers/process/straceSummary.js';

/** Calls per second of each system call over a window, most frequent first (ties by name). */
export function syscallRates(summary: StraceSummary, windowMs: number): SyscallRate[] {
  const seconds = windowMs / 1000;
  if (!(seconds > 0)) return [];
  return summary.rows
    .filter((r) => r.calls > 0)
    .map((r) => ({ syscall: r.syscall, perSecond: r.calls / seconds, errorsPerSecond: r.errors / seconds }))
    .sort((a, b) => b.perSecond - a.perSecond || a.syscall.localeCompare(b.syscall));
}

/** The CPU's model name from /proc/cpuinfo ("AMD EPYC"), or '' when it has none (some ARM kernels). */
export function cpuModel(cpuinfo: string): string {
  const line = cpuinfo.split('\n').find((l) => /^(model name|Hardware|Processor)\s*:/.test(l));
  return line ? line.slice(line.indexOf(':') + 1).trim() : '';
}

/** One line naming a machine, as the view and the lesson print it. */
export function machineLine(m: NetpollerMachine): string {
  return [m.cpu || 'unknown CPU', `${m.cores} cores`, `Linux ${m.kernel}`, m.go ?? 'no Go', `Node ${m.node}`].join(
    ' · ',
  );
}
