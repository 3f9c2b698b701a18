// The path each end of a connection took through the TCP state diagram up to a moment of a recording, merging
// polled states (real), states the model inferred from packets, and states filled in from the diagram where the
// poller jumped (both labelled inferred). Pure; tested in tcpStatePath.test.ts.
import type { TcpStateName } from '@core/protocol/events/tcpState';
import { statePath, STATES_OFF_ROLE } from '@core/protocol/tcpStateDiagram';
import type { Recording } from './handshakeRecording';

export type StepSource = 'polled' | 'modelled' | 'diagram';

export interface PathStep {
  state: TcpStateName;
  at: number;
  /** polled: the kernel table showed it. modelled: inferred from a captured segment. diagram: a state the poller skipped. */
  source: StepSource;
  /** Modelled: what drove it (sentSyn, receivedFin...). */
  cause?: string;
  /** True when the poller also saw a state first inferred by the model. */
  confirmed?: boolean;
}

export interface EndpointPath {
  socket: { local: string; remote: string };
  role: 'client' | 'server';
  steps: PathStep[];
}

/** Both ends of the connection of `client`, as of time `until` (inclusive). */
export function connectionPaths(rec: Recording, client: string, until: number): EndpointPath[] {
  const server = serverOf(rec, client);
  return [
    endpointPath(rec, { local: client, remote: server }, 'client', until),
    endpointPath(rec, { local: server, remote: client }, 'server', until),
  ];
}

/** The server endpoint a client talked to (the closed port for a refused dial). */
export function serverOf(rec: Recording, client: string): string {
  for (const item of rec.items) if (item.type === 'segment' && item.event.client === client) return item.event.server;
  return rec.server;
}

function endpointPath(
  rec: Recording,
  socket: { local: string; remote: string },
  role: 'client' | 'server',
  until: number,
): EndpointPath {
  const steps: PathStep[] = [];
  for (const item of rec.items) {
    if (item.at > until) break;
    if (item.type !== 'polled' && item.type !== 'inferred') continue;
    const e = item.event;
    if (e.socket.local !== socket.local || e.socket.remote !== socket.remote) continue;
    // The first change names where the socket started (CLOSED, or LISTEN for an accepted one): the diagram's start.
    if (steps.length === 0) steps.push({ state: e.from, at: item.at, source: 'diagram' });
    const last = steps.at(-1)!;
    if (item.type === 'inferred') {
      if (e.to !== last.state) steps.push({ state: e.to, at: item.at, source: 'modelled', cause: item.event.cause });
      continue;
    }
    // Polled: confirm a state the model reached, or move there, filling in the states the poller was too slow for.
    if (last.state === e.to) {
      last.confirmed = true;
      continue;
    }
    const recent = steps.slice(-3).find((s) => s.state === e.to && s.source === 'modelled');
    if (recent) {
      // Packets outran the poller: the model is already past the state the poller has just seen.
      recent.confirmed = true;
      continue;
    }
    // A socket that vanished without the poller ever seeing TIME_WAIT (60 s long) closed the passive way, or was reset.
    const avoid = e.to === 'CLOSED' ? [...STATES_OFF_ROLE[role], 'TIME_WAIT' as const] : STATES_OFF_ROLE[role];
    for (const s of statePath(last.state, e.to, avoid).slice(1, -1))
      steps.push({ state: s, at: item.at, source: 'diagram' });
    steps.push({ state: e.to, at: item.at, source: 'polled', confirmed: true });
  }
  return { socket, role, steps };
}
