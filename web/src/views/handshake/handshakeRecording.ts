// Recordings of the handshake demo's runs, folded from events: each run's segments, polled and modelled state
// changes and socket calls, in time order, ready to replay. Pure; tested in handshakeRecording.test.ts.
import type { EventOfKind, LabEvent } from '@core/protocol/events';
import type { HandshakeCaptureInfo, HandshakeScenario } from '@core/protocol/demos/handshake';
import type { HandshakeRunSummary } from '@core/protocol/events/handshake';
import { endpointName, type MsRange } from '@core/protocol/events/tcpState';
import type { WireError } from '@core/protocol/errors';
import type { Fold } from '../../store/eventFold';

export type SegmentEvent = EventOfKind<'packet.segment'>;
export type PolledChange = EventOfKind<'tcpState.change'>;
export type InferredChange = EventOfKind<'tcpState.inferred'>;
export type SocketStep = EventOfKind<'handshake.step'>;

/** One thing that happened during a run, at its own time (capture time, sample time or call time). */
export type RecordingItem =
  | { type: 'segment'; at: number; event: SegmentEvent }
  | { type: 'polled'; at: number; event: PolledChange }
  | { type: 'inferred'; at: number; event: InferredChange }
  | { type: 'step'; at: number; event: SocketStep };

export interface Recording {
  run: number;
  /** 'snippet': everything a snippet run's sockets did (see the session fold). */
  scenario: HandshakeScenario | 'imported' | 'snippet';
  /** The listener, `ip:port`. */
  server: string;
  closedPort: number;
  startedAt: number;
  ended: boolean;
  capture: HandshakeCaptureInfo;
  polling: boolean;
  /** Client endpoints of the run's connections. */
  clients: string[];
  /** Sorted by `at` once the run has ended (and kept sorted as they arrive while it runs). */
  items: RecordingItem[];
  summary?: HandshakeRunSummary;
  /** TIME_WAIT lengths measured after the run (Linux keeps a socket there for 60 s). */
  timeWaits: Array<{ socket: string; stayedMs: MsRange; timerAtEntryMs?: number }>;
  version: number;
}

export interface CaptureState {
  status: HandshakeCaptureInfo['status'] | 'unknown';
  info?: HandshakeCaptureInfo;
}

export interface HandshakeRecordings {
  runs: Map<number, Recording>;
  order: number[];
  capture: CaptureState;
  polling: boolean | null;
  /** The run that has started and not ended. */
  active: number | null;
  /** Session fold: the client end of every connection the run opened (from socket.open), to name its clients. */
  clientEnds: Set<string>;
  /** Session fold: why some of the run's connections are not shown (too many), once said. */
  limit: WireError | null;
  version: number;
}

export interface RecordingsFoldOptions {
  /**
   * A snippet run's demo (a bridge session): no runStart/runEnd; one recording holds every segment and state the
   * session publishes (the server already narrowed them to the run's own connections), from its first one.
   */
  session?: boolean;
}

/** Kinds that open a snippet run's recording. */
const SESSION_KINDS: ReadonlySet<string> = new Set([
  'packet.captureStatus',
  'tcpState.pollerStatus',
  'packet.segment',
  'tcpState.change',
  'tcpState.inferred',
]);

export const RECORDINGS_KEPT = 30;
/** A run's items are capped so one runaway recording cannot take the tab's memory. */
export const ITEMS_PER_RECORDING = 50_000;

function portOf(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
}

/** Does an event of the capture or the poller concern this run's ports? */
function concerns(rec: Recording, local: string, remote: string): boolean {
  if (rec.scenario === 'snippet') return true;
  const serverPort = portOf(rec.server);
  for (const end of [local, remote]) {
    const p = portOf(end);
    if (p === serverPort || p === rec.closedPort) return true;
  }
  return false;
}

/** Inserts keeping `items` sorted by time (events mostly arrive in order, so this is usually a push). */
export function insertByTime(items: RecordingItem[], item: RecordingItem): void {
  let i = items.length;
  while (i > 0 && items[i - 1]!.at > item.at) i--;
  items.splice(i, 0, item);
}

function add(state: HandshakeRecordings, rec: Recording, item: RecordingItem): void {
  if (rec.items.length >= ITEMS_PER_RECORDING) return;
  insertByTime(rec.items, item);
  rec.version++;
  state.version++;
}

export function newRecording(start: EventOfKind<'handshake.runStart'>): Recording {
  return {
    run: start.run,
    scenario: start.scenario,
    server: start.server,
    closedPort: start.closedPort,
    startedAt: start.t,
    ended: false,
    capture: start.capture,
    polling: start.polling,
    clients: [],
    items: [],
    timeWaits: [],
    version: 0,
  };
}

function sessionRecording(startedAt: number): Recording {
  return {
    run: 1,
    scenario: 'snippet',
    server: '',
    closedPort: 0,
    startedAt,
    ended: false,
    capture: { status: 'unavailable' },
    polling: false,
    clients: [],
    items: [],
    timeWaits: [],
    version: 0,
  };
}

/** Session fold: a connection end of the run becomes a named client the first time a segment or state shows it. */
function noteClient(state: HandshakeRecordings, rec: Recording, ...ends: string[]): void {
  for (const end of ends) {
    if (state.clientEnds.has(end) && !rec.clients.includes(end)) rec.clients.push(end);
  }
}

export function handshakeRecordingsFold(demo: string, options: RecordingsFoldOptions = {}): Fold<HandshakeRecordings> {
  const session = options.session === true;
  return {
    init: () => ({
      runs: new Map(),
      order: [],
      capture: { status: 'unknown' },
      polling: null,
      active: null,
      clientEnds: new Set(),
      limit: null,
      version: 0,
    }),
    step(state, e: LabEvent) {
      if (e.demo !== demo) return;
      if (session) {
        if (e.kind === 'socket.open') {
          state.clientEnds.add(
            e.side === 'client' ? endpointName(e.local.host, e.local.port) : endpointName(e.remote.host, e.remote.port),
          );
          return;
        }
        if (
          e.kind === 'demo.error' &&
          (e.error.code === 'E_BRIDGE_CAPTURE_LIMIT' || e.error.code === 'E_BRIDGE_CAPTURE_SAMPLED')
        ) {
          state.limit = e.error;
          state.version++;
          return;
        }
        if (state.active === null && state.order.length === 0 && SESSION_KINDS.has(e.kind)) {
          state.runs.set(1, sessionRecording(e.t));
          state.order.push(1);
          state.active = 1;
        }
        const rec = state.runs.get(1);
        if (rec) sessionStep(state, rec, e);
      }
      const active = state.active === null ? undefined : state.runs.get(state.active);
      switch (e.kind) {
        case 'handshake.runStart': {
          const rec = newRecording(e);
          state.runs.set(e.run, rec);
          state.order.push(e.run);
          state.active = e.run;
          state.capture = { status: e.capture.status, info: e.capture };
          state.polling = e.polling;
          while (state.order.length > RECORDINGS_KEPT) state.runs.delete(state.order.shift()!);
          state.version++;
          return;
        }
        case 'handshake.runEnd': {
          const rec = state.runs.get(e.run);
          if (!rec) return;
          rec.ended = true;
          rec.clients = e.clients;
          rec.summary = e.summary;
          // Keep only the run's own connections: a student's nc on the same port is not part of the recording.
          const ours = new Set(e.clients);
          rec.items = rec.items.filter((item) => {
            switch (item.type) {
              case 'segment':
                return ours.has(item.event.client);
              case 'step':
                return true;
              default:
                return ours.has(item.event.socket.local) || ours.has(item.event.socket.remote);
            }
          });
          rec.version++;
          if (state.active === e.run) state.active = null;
          state.version++;
          return;
        }
        case 'handshake.step':
          if (active && e.run === active.run) {
            if (!active.clients.includes(e.client) && e.client) active.clients.push(e.client);
            add(state, active, { type: 'step', at: e.at, event: e });
          }
          return;
        case 'packet.segment':
          if (active && concerns(active, e.from, e.to)) add(state, active, { type: 'segment', at: e.at, event: e });
          return;
        case 'tcpState.change':
          if (active && concerns(active, e.socket.local, e.socket.remote) && !e.socket.remote.endsWith(':0')) {
            add(state, active, { type: 'polled', at: e.sampledAt, event: e });
          }
          return;
        case 'tcpState.inferred':
          if (active && concerns(active, e.socket.local, e.socket.remote))
            add(state, active, { type: 'inferred', at: e.at, event: e });
          return;
        case 'tcpState.timeWaitEnded': {
          // Arrives about a minute after its run ended: file it with the run that made that socket.
          for (const run of state.order) {
            const rec = state.runs.get(run)!;
            if (rec.clients.includes(e.socket.local) || rec.clients.includes(e.socket.remote)) {
              rec.timeWaits.push({
                socket: e.socket.local,
                stayedMs: e.stayedMs,
                ...(e.timerAtEntryMs !== undefined ? { timerAtEntryMs: e.timerAtEntryMs } : {}),
              });
              rec.version++;
              state.version++;
            }
          }
          return;
        }
        case 'packet.captureStatus':
          state.capture = {
            status: e.status,
            info: {
              status: e.status,
              ...(e.error ? { error: e.error } : {}),
              ...(e.howToEnable ? { howToEnable: e.howToEnable } : {}),
              ...(e.enableCommand ? { enableCommand: e.enableCommand } : {}),
            },
          };
          state.version++;
          return;
        case 'tcpState.pollerStatus':
          state.polling = e.status === 'polling';
          state.version++;
          return;
        default:
          return;
      }
    },
  };
}

/** Session fold: what the handshake runs learn from runStart, a snippet run learns as its observers report. */
function sessionStep(state: HandshakeRecordings, rec: Recording, e: LabEvent): void {
  switch (e.kind) {
    case 'packet.captureStatus':
      // Stopping is the session's end, not a reason to hide what was captured.
      if (e.status !== 'stopped') {
        rec.capture = {
          status: e.status,
          ...(e.error ? { error: e.error } : {}),
          ...(e.howToEnable ? { howToEnable: e.howToEnable } : {}),
          ...(e.enableCommand ? { enableCommand: e.enableCommand } : {}),
        };
      }
      break;
    case 'tcpState.pollerStatus':
      rec.polling = e.status === 'polling' || (rec.polling && e.status === 'stopped');
      if (e.status === 'stopped') rec.ended = true;
      break;
    case 'packet.segment':
      noteClient(state, rec, e.client);
      break;
    case 'tcpState.change':
    case 'tcpState.inferred':
      noteClient(state, rec, e.socket.local, e.socket.remote);
      break;
    default:
      return;
  }
  rec.version++;
}

/** The raw events of a recording, in time order, as exported to JSON (and read back by importRecording). */
export function recordingEvents(rec: Recording): unknown[] {
  return rec.items.map((i) => i.event);
}

export interface RecordingFile {
  format: 'gonet-lab-recording';
  version: 1;
  scenario: string;
  server: string;
  clients: string[];
  capture: HandshakeCaptureInfo;
  summary?: HandshakeRunSummary;
  events: unknown[];
}

export function exportRecording(rec: Recording): RecordingFile {
  return {
    format: 'gonet-lab-recording',
    version: 1,
    scenario: rec.scenario,
    server: rec.server,
    clients: rec.clients,
    capture: rec.capture,
    ...(rec.summary ? { summary: rec.summary } : {}),
    events: recordingEvents(rec),
  };
}

const ITEM_TYPE: Record<string, RecordingItem['type']> = {
  'packet.segment': 'segment',
  'tcpState.change': 'polled',
  'tcpState.inferred': 'inferred',
  'handshake.step': 'step',
};

/** Reads an exported recording back (for replay); throws with a reason when the file is not one. */
export function importRecording(data: unknown, run: number): Recording {
  const file = data as Partial<RecordingFile> | null;
  if (!file || file.format !== 'gonet-lab-recording' || !Array.isArray(file.events)) {
    throw new Error('not a GoNet Lab recording (expected {"format": "gonet-lab-recording", "events": [...]})');
  }
  const items: RecordingItem[] = [];
  for (const raw of file.events.slice(0, ITEMS_PER_RECORDING)) {
    const e = raw as { kind?: string; at?: number; sampledAt?: number };
    const type = e && typeof e.kind === 'string' ? ITEM_TYPE[e.kind] : undefined;
    if (!type) continue;
    const at = type === 'polled' ? e.sampledAt : e.at;
    if (typeof at !== 'number') continue;
    items.push({ type, at, event: raw } as RecordingItem);
  }
  items.sort((a, b) => a.at - b.at);
  return {
    run,
    scenario: 'imported',
    server: String(file.server ?? ''),
    closedPort: 0,
    startedAt: items[0]?.at ?? 0,
    ended: true,
    capture: file.capture ?? { status: 'unavailable' },
    polling: true,
    clients: Array.isArray(file.clients) ? file.clients.map(String) : [],
    items,
    ...(file.summary ? { summary: file.summary } : {}),
    timeWaits: [],
    version: 1,
  };
}
