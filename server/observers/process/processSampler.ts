// Reads a live process's /proc entries (status, and each thread's stat and schedstat) for the pure parsers in
// processStatus.ts. A process or thread that ends mid-read is left out, never an error.
import { readdir, readFile } from 'node:fs/promises';
import {
  parseProcessStatus,
  parseTaskListing,
  parseTaskStat,
  type ProcessStatus,
  type TaskStat,
} from './processStatus.js';

export async function readProcessStatus(pid: number, proc = '/proc'): Promise<ProcessStatus | null> {
  const text = await readFile(`${proc}/${pid}/status`, 'utf8').catch(() => '');
  return parseProcessStatus(text);
}

/** The thread ids listed under /proc/PID/task ([] when the process is gone). */
export async function readTaskIds(pid: number, proc = '/proc'): Promise<number[]> {
  return parseTaskListing(await readdir(`${proc}/${pid}/task`).catch(() => []));
}

/** Every thread's stat and schedstat; threads that ended between the listing and the read are skipped. */
export async function readTaskStats(pid: number, proc = '/proc'): Promise<TaskStat[]> {
  const tids = await readTaskIds(pid, proc);
  const stats = await Promise.all(
    tids.map(async (tid) => {
      const dir = `${proc}/${pid}/task/${tid}`;
      const [stat, sched] = await Promise.all([
        readFile(`${dir}/stat`, 'utf8').catch(() => ''),
        readFile(`${dir}/schedstat`, 'utf8').catch(() => ''),
      ]);
      return parseTaskStat(stat, sched);
    }),
  );
  return stats.filter((s): s is TaskStat => s !== null);
}
