// Reads Linux's UDP socket table (/proc/net/udp, /proc/net/udp6): the same columns as /proc/net/tcp, where a UDP
// socket is either CLOSE (unconnected: it takes datagrams from anyone) or ESTABLISHED (connect() fixed its peer).
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import type { KernelSocket } from './kernelSocket.js';
import { parseProcNetTcp } from './procNetTcp.js';

export interface UdpKernelSocket {
  local: string;
  remote: string;
  /** The kernel's name for the state column: 'CLOSE' (07) or 'ESTABLISHED' (01). */
  state: 'CLOSE' | 'ESTABLISHED';
  receiveQueue: number;
  inode: number;
}

/** The TCP parser reads the shared columns; its CLOSED (07) is UDP's unconnected CLOSE. Pure. */
export function parseProcNetUdp(
  text: string,
  littleEndian: boolean,
): { sockets: UdpKernelSocket[]; badLines: string[] } {
  const parsed = parseProcNetTcp(text, { littleEndian });
  const sockets: UdpKernelSocket[] = [];
  const badLines = [...parsed.badLines];
  for (const s of parsed.sockets) {
    if (s.state !== 'CLOSED' && s.state !== 'ESTABLISHED') {
      badLines.push(`${s.local} ${s.remote} ${s.state}`);
      continue;
    }
    sockets.push({
      local: s.local,
      remote: s.remote,
      state: s.state === 'CLOSED' ? 'CLOSE' : 'ESTABLISHED',
      receiveQueue: s.receiveQueue,
      inode: s.inode ?? 0,
    });
  }
  return { sockets, badLines };
}

/** Every UDP socket of the machine (IPv4 and IPv6); throws when /proc/net is not there (not Linux). */
export async function readUdpSockets(): Promise<UdpKernelSocket[]> {
  const little = endianness() === 'LE';
  const texts = await Promise.all(['/proc/net/udp', '/proc/net/udp6'].map((f) => readFile(f, 'utf8').catch(() => '')));
  if (texts.every((t) => t === '')) throw new Error('/proc/net/udp cannot be read here (the lab reads it on Linux)');
  return texts.flatMap((t) => parseProcNetUdp(t, little).sockets);
}

/** Every TCP socket of the machine, for the same table. */
export async function readTcpSockets(): Promise<KernelSocket[]> {
  const little = endianness() === 'LE';
  const texts = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((f) => readFile(f, 'utf8').catch(() => '')));
  return texts.flatMap((t) => parseProcNetTcp(t, { littleEndian: little }).sockets);
}
