// Who each socket the lab opened on someone's behalf belongs to, by the socket's local endpoint: a page (/ws session)
// for the echo and framing clients it opens, a browser's machine (its address) for a snippet's bridged dials.
// Process-wide because an endpoint names one socket on the machine at a time; the /ws edge reads it to send a
// connection's bytes only to its owner.
import { endpointName } from '../../core/protocol/events/tcpState.js';

const owners = new Map<string, string>();
/** The machine (browser address) that opened each snippet session, by the session's demo id. */
const snippetMachines = new Map<string, string>();
/** The page that started each Go run, by the run's demo id (gorun-<id>). */
const runPages = new Map<string, string>();

/** The owner value of a page (a /ws session). */
export const pageOwner = (session: string): string => `page:${session}`;
/** The owner value of a browser's machine, by its address. */
export const machineOwner = (address: string): string => `machine:${address.replace(/^::ffff:/, '')}`;

/** "127.0.0.1:41234", "[::1]:41234"; an IPv4-mapped address (a dual-stack listener's view) as plain IPv4. */
export function endpointKey(host: string, port: number): string {
  return endpointName(host.toLowerCase().replace(/^::ffff:(?=\d)/, ''), port);
}

export const connectionOwners = {
  claim(host: string, port: number, owner: string): void {
    owners.set(endpointKey(host, port), owner);
  },
  release(host: string, port: number, owner: string): void {
    const key = endpointKey(host, port);
    if (owners.get(key) === owner) owners.delete(key);
  },
  ownerOf(host: string, port: number): string | undefined {
    return owners.get(endpointKey(host, port));
  },
  /** A snippet session's events are its machine's. */
  claimSnippet(demo: string, address: string): void {
    snippetMachines.set(demo, machineOwner(address));
  },
  releaseSnippet(demo: string): void {
    snippetMachines.delete(demo);
  },
  snippetOwner(demo: string): string | undefined {
    return snippetMachines.get(demo);
  },
  /** A Go run's events (its output, goroutines and sockets) are the page's that started it. */
  claimRun(demo: string, session: string): void {
    runPages.set(demo, pageOwner(session));
  },
  releaseRun(demo: string): void {
    runPages.delete(demo);
  },
  runOwner(demo: string): string | undefined {
    return runPages.get(demo);
  },
};

/**
 * The endpoints one bounded run claims for its page: claimed as the run opens its sockets, released together a while
 * after the run ends (the capture hands over a run's last packets a moment later).
 */
export class PageClaims {
  private readonly owner: string;
  private readonly claimed: Array<[string, number]> = [];

  constructor(session: string) {
    this.owner = pageOwner(session);
  }

  /** Claims the endpoint for the page; returns its name ("127.0.0.1:41234"). */
  claim(host: string, port: number): string {
    connectionOwners.claim(host, port, this.owner);
    this.claimed.push([host, port]);
    return endpointName(host, port);
  }

  /** The first endpoint claimed (the run's client), if any. */
  first(): [string, number] | undefined {
    return this.claimed[0];
  }

  /** Releases every claimed endpoint `ms` from now (a timer that does not keep the process alive). */
  releaseAfter(ms: number): void {
    setTimeout(() => {
      for (const [host, port] of this.claimed) connectionOwners.release(host, port, this.owner);
    }, ms).unref();
  }
}
