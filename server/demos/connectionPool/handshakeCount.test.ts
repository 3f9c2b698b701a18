// Which captured segments count as a handshake: the opening SYN only, by its destination port.
import { describe, expect, it } from 'vitest';
import type { CaptureEventBody } from '../../observers/capture/captureProcessor.js';
import { openingSynPort } from './handshakeCount.js';

const segment = (flags: string[], to: string) => ({ kind: 'packet.segment', flags, to }) as unknown as CaptureEventBody;

describe('openingSynPort', () => {
  it('counts a SYN without ACK by the port it goes to (IPv4 and IPv6)', () => {
    expect(openingSynPort(segment(['SYN'], '127.0.0.1:7481'))).toBe(7481);
    expect(openingSynPort(segment(['SYN', 'ECE', 'CWR'], '[::1]:40000'))).toBe(40000);
  });

  it('does not count the SYN/ACK, data, FIN or RST, nor other events', () => {
    expect(openingSynPort(segment(['SYN', 'ACK'], '127.0.0.1:5000'))).toBeNull();
    expect(openingSynPort(segment(['ACK', 'PSH'], '127.0.0.1:5000'))).toBeNull();
    expect(openingSynPort(segment(['RST'], '127.0.0.1:5000'))).toBeNull();
    expect(openingSynPort({ kind: 'packet.captureStatus' } as unknown as CaptureEventBody)).toBeNull();
  });
});
