// Where a request comes from: the lab's own machine (loopback or one of its addresses) or another computer.
// Pure: the machine's addresses are passed in.
import { isIPv4 } from 'node:net';

/** "::ffff:10.0.0.7" is the IPv4 client 10.0.0.7 on a dual-stack socket. */
export function plainAddress(address: string): string {
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return mapped[1]!;
  return lower.replace(/%.*$/, ''); // zone index of a link-local address
}

export function isLoopback(address: string): boolean {
  const a = plainAddress(address);
  if (isIPv4(a)) return a.startsWith('127.');
  return a === '::1';
}

/** True for a client on the lab's own machine: loopback, or one of the machine's own addresses. */
export function isOnLabMachine(remoteAddress: string | undefined, machineAddresses: ReadonlySet<string>): boolean {
  if (!remoteAddress) return false;
  const a = plainAddress(remoteAddress);
  return isLoopback(a) || machineAddresses.has(a);
}

/** A host to listen on that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopback(host.replace(/^\[|\]$/g, ''));
}
