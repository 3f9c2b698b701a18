import { describe, expect, it } from 'vitest';
import { handshakeRecordingsFold } from './handshakeRecording';
import { clientClosesRun } from './handshakeTestEvents';
import { recordingToMermaid } from './recordingExport';

describe('recordingToMermaid', () => {
  it('writes a sequence diagram with one message per segment and notes for calls and polled states', () => {
    const f = handshakeRecordingsFold('handshake');
    const state = f.init();
    for (const e of clientClosesRun()) f.step(state, e);
    const text = recordingToMermaid(state.runs.get(1)!);
    const lines = text.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'sequenceDiagram',
      '  participant P0 as client 127.0.0.1:50000',
      '  participant P1 as server 127.0.0.1:7405',
    ]);
    expect(lines).toContain('  P0->>P1: SYN seq=0 len=0');
    expect(lines).toContain('  P1->>P0: SYN, ACK seq=0 ack=1 len=0 (ack = 0 + 1)');
    expect(lines).toContain('  Note over P0: Close()');
    expect(lines).toContain('  Note over P0: TIME_WAIT (polled)');
    expect(lines.filter((l) => l.includes('->>'))).toHaveLength(10);
    expect(recordingToMermaid(state.runs.get(1)!, false)).toContain('P0->>P1: SYN seq=1000000 len=0');
  });
});
