import { describe, expect, it } from 'vitest';
import { TCP_STATE_NAMES } from './events/tcpState.js';
import { findTransition, statePath, STATES_OFF_ROLE, TCP_STATE_LAYOUT, TCP_TRANSITIONS } from './tcpStateDiagram.js';

describe('tcpStateDiagram', () => {
  it('places every state on its own grid cell and only links known states', () => {
    const cells = TCP_STATE_NAMES.map((s) => `${TCP_STATE_LAYOUT[s].col},${TCP_STATE_LAYOUT[s].row}`);
    expect(new Set(cells).size).toBe(TCP_STATE_NAMES.length);
    for (const t of TCP_TRANSITIONS) {
      expect(TCP_STATE_NAMES).toContain(t.from);
      expect(TCP_STATE_NAMES).toContain(t.to);
    }
  });

  it('finds the active and passive opening paths depending on the role', () => {
    expect(statePath('CLOSED', 'ESTABLISHED', STATES_OFF_ROLE.client)).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
    expect(statePath('CLOSED', 'ESTABLISHED', STATES_OFF_ROLE.server)).toEqual([
      'CLOSED',
      'LISTEN',
      'SYN_RECV',
      'ESTABLISHED',
    ]);
  });

  it('fills in the closing paths of both sides', () => {
    expect(statePath('ESTABLISHED', 'FIN_WAIT2')).toEqual(['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2']);
    expect(statePath('ESTABLISHED', 'TIME_WAIT')).toEqual(['ESTABLISHED', 'FIN_WAIT1', 'TIME_WAIT']);
    expect(statePath('CLOSE_WAIT', 'CLOSED')).toEqual(['CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    expect(statePath('FIN_WAIT1', 'CLOSING')).toEqual(['FIN_WAIT1', 'CLOSING']);
  });

  it('returns the two ends when there is no path (an abort) and one state for no move', () => {
    expect(statePath('TIME_WAIT', 'LISTEN')).toEqual(['TIME_WAIT', 'LISTEN']);
    expect(statePath('ESTABLISHED', 'SYN_SENT')).toEqual(['ESTABLISHED', 'SYN_SENT']);
    expect(statePath('LISTEN', 'LISTEN')).toEqual(['LISTEN']);
  });

  it('labels transitions in both languages', () => {
    expect(findTransition('TIME_WAIT', 'CLOSED')?.label).toEqual({ en: '2MSL timeout', zh: '2MSL 超时' });
    expect(findTransition('CLOSED', 'TIME_WAIT')).toBeUndefined();
  });
});
