// The limits of a Go run and how each one shows: rlimits set with prlimit(1), and the texts by which the Go runtime
// or the program says it ran into one. Pure.
import type { ErrorCode } from '../../core/protocol/errors.js';

export interface GoRunLimits {
  /** Wall time from start to forced stop. */
  wallMs: number;
  /** `go build` wall time. */
  buildMs: number;
  /** RLIMIT_CPU: CPU seconds (user + system) before the kernel kills it. */
  cpuSeconds: number;
  /**
   * RLIMIT_AS: address space. A Go 1.19 program reserves about 700 MB at start before using any, so this bounds
   * the heap only roughly (about this minus 700 MB); a memory cgroup would bound resident memory, not set here.
   */
  addressSpaceBytes: number;
  /** RLIMIT_NPROC: processes and threads of the run's user (applies when the program runs as nobody). */
  processes: number;
  /** RLIMIT_NOFILE: open files and sockets. */
  openFiles: number;
  /** RLIMIT_FSIZE: the largest file it may write. */
  fileSizeBytes: number;
  /** stdout + stderr the lab forwards before stopping it. */
  outputBytes: number;
}

export const DEFAULT_GO_RUN_LIMITS: GoRunLimits = {
  wallMs: 10 * 60_000,
  buildMs: 120_000,
  cpuSeconds: 60,
  addressSpaceBytes: 2 * 1024 ** 3,
  processes: 256,
  openFiles: 1024,
  fileSizeBytes: 16 * 1024 ** 2,
  outputBytes: 1024 ** 2,
};

/**
 * prlimit(1) options: soft and hard limits equal, and no core dumps. RLIMIT_NPROC counts every process of the user,
 * so it is set only when the program runs as its own unprivileged user: as the lab's user on a desktop it would
 * count the desktop's processes too (and as root it is not enforced).
 */
export function prlimitArgs(l: GoRunLimits, ownUser: boolean): string[] {
  return [
    `--cpu=${l.cpuSeconds}`,
    `--as=${l.addressSpaceBytes}`,
    ...(ownUser ? [`--nproc=${l.processes}`] : []),
    `--nofile=${l.openFiles}`,
    `--fsize=${l.fileSizeBytes}`,
    '--core=0',
  ];
}

/** Limits the program ran into but survived (it got an error back), as seen in its output. */
export function limitNotices(text: string): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (text.includes('too many open files')) codes.push('E_GO_FILE_LIMIT');
  if (text.includes('file too large')) codes.push('E_GO_FILE_SIZE_LIMIT');
  if (/fork\/exec .*resource temporarily unavailable/.test(text)) codes.push('E_GO_PROCESS_LIMIT');
  return codes;
}

/** The limit behind a Go fatal error, if it was one of the lab's. */
export function fatalErrorLimit(message: string, stderr: string): ErrorCode | null {
  if (
    message.includes('out of memory') ||
    message.includes('failed to reserve') ||
    message.includes('cannot allocate memory')
  )
    return 'E_GO_MEMORY_LIMIT';
  if (message === 'newosproc' || stderr.includes('failed to create new OS thread')) return 'E_GO_PROCESS_LIMIT';
  return null;
}
