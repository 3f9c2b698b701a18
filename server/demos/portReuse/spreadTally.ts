// Counts what the spread runs' clients read: which listener answered each connection ("L3\n"), how many each
// answered, and whether the same 4-tuple always reached the same listener.
import type { KernelSocket } from '../../observers/kernel/kernelSocket.js';

/** The listener number in an answer line `L<n>`, or null when the text is not one. */
export function listenerOfAnswer(text: string): number | null {
  const m = /^L(\d{1,2})\n?$/.exec(text);
  return m ? Number(m[1]) : null;
}

/** Answers per listener 0..listeners-1; answers that name no listener of the group (or none) are `unanswered`. */
export function tallyAnswers(
  answers: ReadonlyArray<number | null>,
  listeners: number,
): { counts: number[]; unanswered: number } {
  const counts = new Array<number>(listeners).fill(0);
  let unanswered = 0;
  for (const a of answers) {
    if (a !== null && Number.isInteger(a) && a >= 0 && a < listeners) counts[a]!++;
    else unanswered++;
  }
  return { counts, unanswered };
}

/**
 * For each 4-tuple tried several times: whether every try reached one and the same listener. A tuple with a try
 * that got no answer does not count as the same.
 */
export function sameListenerTuples(tries: ReadonlyArray<ReadonlyArray<number | null>>): number {
  return tries.filter((t) => t.length > 0 && t[0] !== null && t.every((a) => a === t[0])).length;
}

/** The kernel's row for exactly this connection (both ends), if the table lists it. */
export function connectionRow(sockets: readonly KernelSocket[], local: string, remote: string): KernelSocket | null {
  return sockets.find((s) => s.local === local && s.remote === remote) ?? null;
}

/**
 * The source address of the hash check's n-th 4-tuple: a loopback address of its own (127.88.x.y, all of 127/8 is
 * loopback on Linux) when the listeners are on IPv4 loopback or any address. Binding again to a port of 127.0.0.1
 * can fail with EADDRINUSE whenever any other program's connection from that port sits in TIME_WAIT; nothing else
 * uses these addresses. Elsewhere, the listeners' own address.
 */
export function hashSourceAddress(host: string, n: number): string {
  if (!/^127\.|^0\.0\.0\.0$/.test(host)) return host;
  return `127.88.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
}
