import { describe, expect, it } from 'vitest';
import { buildFlowGraph, formatDelta, visibleRange } from './flowGraphModel';
import { handshakeRecordingsFold } from './handshakeRecording';
import { CLIENT, clientClosesRun, SERVER } from './handshakeTestEvents';

function recording() {
  const f = handshakeRecordingsFold('handshake');
  const state = f.init();
  for (const e of clientClosesRun()) f.step(state, e);
  return state.runs.get(1)!;
}

const segmentsOnly = { relative: true, calls: false, polledStates: false, modelledStates: false };

describe('buildFlowGraph', () => {
  it('draws the client on the left, the server on the right, and one arrow per segment', () => {
    const g = buildFlowGraph(recording(), segmentsOnly);
    expect(g.lifelines).toEqual([
      { endpoint: CLIENT, role: 'client' },
      { endpoint: SERVER, role: 'server' },
    ]);
    expect(
      g.rows.map(
        (r) => `${r.fromCol}→${r.toCol} ${r.title} ${r.fields.filter((f) => !f.startsWith('win=')).join(' ')}`,
      ),
    ).toEqual([
      '0→1 SYN seq=0 len=0',
      '1→0 SYN, ACK seq=0 ack=1 len=0',
      '0→1 ACK seq=1 ack=1 len=0',
      '0→1 PSH, ACK seq=1 ack=1 len=6',
      '1→0 ACK seq=1 ack=7 len=0',
      '1→0 PSH, ACK seq=1 ack=7 len=6',
      '0→1 ACK seq=7 ack=7 len=0',
      '0→1 FIN, ACK seq=7 ack=7 len=0',
      '1→0 FIN, ACK seq=7 ack=8 len=0',
      '0→1 ACK seq=8 ack=8 len=0',
    ]);
  });

  it('shows how acks that cover a SYN or FIN were made (ack = seq + 1), in relative and absolute numbers', () => {
    const rel = buildFlowGraph(recording(), segmentsOnly).rows;
    expect(rel.map((r) => r.ackNote ?? '')).toEqual([
      '',
      'ack = 0 + 1',
      'ack = 0 + 1',
      '',
      '',
      '',
      '',
      '',
      'ack = 7 + 1',
      'ack = 7 + 1',
    ]);
    const abs = buildFlowGraph(recording(), { ...segmentsOnly, relative: false }).rows;
    expect(abs[0]!.fields[0]).toBe('seq=1000000');
    expect(abs[1]!.fields.slice(0, 2)).toEqual(['seq=3000000000', 'ack=1000001']);
    expect(abs[1]!.ackNote).toBe('ack = 1000000 + 1');
  });

  it('gives the time since the previous segment and the SYN options', () => {
    const rows = buildFlowGraph(recording(), segmentsOnly).rows;
    expect(rows[0]!.dtMs).toBeNull();
    expect(rows[1]!.dtMs).toBeCloseTo(0.02, 3);
    expect(rows[0]!.options).toBe('MSS=65495 SACK_PERM WS=×128');
  });

  it('adds socket calls and polled states as notes on their lifeline when asked', () => {
    const rows = buildFlowGraph(recording(), {
      relative: true,
      calls: true,
      polledStates: true,
      modelledStates: false,
    }).rows;
    const notes = rows
      .filter((r) => r.kind !== 'segment')
      .map((r) => `${r.fromCol} ${r.title}${r.kind === 'state' ? ` (${r.source})` : ''}`);
    expect(notes).toEqual([
      '0 Dial()',
      '0 Dial → conn',
      '0 ESTABLISHED (polled)',
      '1 ESTABLISHED (polled)',
      '0 Close()',
      '0 TIME_WAIT (polled)',
      '1 CLOSED (polled)',
    ]);
    const withModel = buildFlowGraph(recording(), {
      relative: true,
      calls: false,
      polledStates: false,
      modelledStates: true,
    }).rows;
    expect(withModel.filter((r) => r.kind === 'state').every((r) => r.source === 'modelled')).toBe(true);
  });
});

describe('visibleRange', () => {
  it('covers the viewport plus a margin and stays inside the rows', () => {
    expect(visibleRange(10_000, 30, 0, 420, 8)).toEqual({ from: 0, to: 22 });
    expect(visibleRange(10_000, 30, 150_000, 420, 8)).toEqual({ from: 4992, to: 5022 });
    expect(visibleRange(10_000, 30, 299_700, 420, 8)).toEqual({ from: 9982, to: 10_000 });
    expect(visibleRange(0, 30, 0, 420)).toEqual({ from: 0, to: 0 });
  });
});

describe('formatDelta', () => {
  it('picks µs, ms or s', () => {
    expect([formatDelta(null), formatDelta(0.021), formatDelta(3.45), formatDelta(150), formatDelta(1200)]).toEqual([
      '',
      '21 µs',
      '3.5 ms',
      '150 ms',
      '1.20 s',
    ]);
  });
});
