// The arguments the lab gives a lesson's Go program: a listening program gets a port the lab picked. Pure.
import { basename, dirname } from 'node:path';

/** Lessons whose program listens, and the flag that takes its address. */
const LISTEN_FLAG: Readonly<Record<string, string>> = {
  '01-echo-server': 'addr',
  '09-worker-pool': 'addr',
  '30-netpoller': 'addr',
};

/** The lesson folder's name ("01-echo-server") of a path like lessons/01-echo-server/main.go, or null. */
export function lessonOfPath(path: string): string | null {
  const dir = basename(dirname(path));
  return /^\d\d-[a-z0-9-]+$/.test(dir) ? dir : null;
}

/** Whether the lesson's program listens on a port the lab should pick. */
export function lessonListens(lesson: string | null): boolean {
  return lesson !== null && lesson in LISTEN_FLAG;
}

/** e.g. ['-addr', '127.0.0.1:40123'] for the echo lesson; [] for a program that takes no port. */
export function lessonRunArgs(lesson: string | null, host: string, port: number): string[] {
  const flag = lesson ? LISTEN_FLAG[lesson] : undefined;
  return flag ? [`-${flag}`, `${host.includes(':') ? `[${host}]` : host}:${port}`] : [];
}

/** Lessons whose program dials a demo of the lab: the flag that takes its address, and whether it speaks UDP. */
const DIAL_FLAG: Readonly<Record<string, { flag: string; demo: string; udp: boolean }>> = {
  '28-dns': { flag: 'server', demo: 'dns', udp: true },
};

/** The demo a lesson's program dials (its first endpoint is the address passed), or null. */
export function lessonDialDemo(lesson: string | null): { demo: string; udp: boolean } | null {
  const dial = lesson ? DIAL_FLAG[lesson] : undefined;
  return dial ? { demo: dial.demo, udp: dial.udp } : null;
}

/** e.g. ['-server', '127.0.0.1:40200'] for the DNS lesson, given the DNS demo's endpoint; [] for other programs. */
export function lessonDialArgs(lesson: string | null, endpoint: { host: string; port: number }): string[] {
  const dial = lesson ? DIAL_FLAG[lesson] : undefined;
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return dial ? [`-${dial.flag}`, `${host}:${endpoint.port}`] : [];
}
