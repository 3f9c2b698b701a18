import { describe, expect, it } from 'vitest';
import { handshakeRecordingsFold, type Recording } from './handshakeRecording';
import { CLIENT, clientClosesRun, SERVER } from './handshakeTestEvents';
import { connectionPaths } from './tcpStatePath';

function recording(filter: (kind: string) => boolean = () => true): Recording {
  const f = handshakeRecordingsFold('handshake');
  const state = f.init();
  for (const e of clientClosesRun()) if (filter(e.kind)) f.step(state, e);
  return state.runs.get(1)!;
}

const describeSteps = (steps: { state: string; source: string; confirmed?: boolean }[]) =>
  steps.map((s) => `${s.state}:${s.source}${s.confirmed ? '✓' : ''}`);

describe('connectionPaths', () => {
  it('follows both ends through the whole connection, confirming modelled states the poller also saw', () => {
    const [client, server] = connectionPaths(recording(), CLIENT, Infinity);
    expect(client!.socket).toEqual({ local: CLIENT, remote: SERVER });
    expect(describeSteps(client!.steps)).toEqual([
      'CLOSED:diagram',
      'SYN_SENT:modelled',
      'ESTABLISHED:modelled✓',
      'FIN_WAIT1:modelled',
      'TIME_WAIT:modelled✓',
    ]);
    expect(describeSteps(server!.steps)).toEqual([
      'LISTEN:diagram',
      'SYN_RECV:modelled',
      'ESTABLISHED:modelled✓',
      'CLOSE_WAIT:modelled',
      'LAST_ACK:modelled',
      'CLOSED:modelled✓',
    ]);
  });

  it('stops at the replay time', () => {
    const [client] = connectionPaths(recording(), CLIENT, 1_700_000_000_000 + 0.04);
    expect(client!.steps.map((s) => s.state)).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
    expect(connectionPaths(recording(), CLIENT, 0)[0]!.steps).toEqual([]);
  });

  it('without capture, fills the states the poller was too slow for from the diagram, by role', () => {
    const rec = recording((kind) => kind !== 'tcpState.inferred' && kind !== 'packet.segment');
    const [client, server] = connectionPaths(rec, CLIENT, Infinity);
    expect(describeSteps(client!.steps)).toEqual([
      'CLOSED:diagram',
      'SYN_SENT:diagram',
      'ESTABLISHED:polled✓',
      'FIN_WAIT1:diagram',
      'TIME_WAIT:polled✓',
    ]);
    expect(describeSteps(server!.steps)).toEqual([
      'CLOSED:diagram',
      'LISTEN:diagram',
      'SYN_RECV:diagram',
      'ESTABLISHED:polled✓',
      'CLOSE_WAIT:diagram',
      'LAST_ACK:diagram',
      'CLOSED:polled✓',
    ]);
  });
});
