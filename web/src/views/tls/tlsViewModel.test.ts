// The TLS view's fold: a connection's ladder (TCP handshake, then records in capture order, a re-opened record in
// its first place), round trips, stream errors, bounded lists; and the small text helpers.
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import type { TlsRecordFields } from '@core/protocol/events/tls';
import { hexLines, pickConnection, recordLabel, tlsViewFold } from './tlsViewModel';

let seq = 0;
const stamp = { t: 0, demo: 'tls' };
function ev(body: object): LabEvent {
  return { ...stamp, seq: ++seq, ...body } as LabEvent;
}

function record(over: Partial<TlsRecordFields>): TlsRecordFields {
  return {
    connection: 1, client: '127.0.0.1:5000', server: '127.0.0.1:443', from: 'client', index: 0, streamOffset: 0,
    contentType: 'handshake', version: 'TLS 1.0', length: 10, encrypted: false, messages: [], clientHello: null,
    serverHello: null, alert: null, ciphertextHex: null, decrypted: null, notDecrypted: null, error: null, at: 0,
    ...over,
  }; // prettier-ignore
}

function segment(role: 'client' | 'server', flags: string[], len = 0) {
  return ev({
    kind: 'packet.segment', source: 'captured', connection: 1, client: '127.0.0.1:5000', server: '127.0.0.1:443',
    role, flags, len,
  }); // prettier-ignore
}

describe('tlsViewFold', () => {
  it('draws SYN, SYN-ACK, ACK then the records; a record opened later replaces its first report', () => {
    const s = tlsViewFold.init();
    const steps = [
      segment('client', ['SYN']),
      segment('server', ['SYN', 'ACK']),
      segment('client', ['ACK']),
      ev({ kind: 'tls.record', source: 'captured', record: record({ messages: ['client_hello'] }) }),
      segment('server', ['ACK']), // a bare ACK after the handshake is not drawn
      ev({ kind: 'tls.record', source: 'captured', record: record({ from: 'server', contentType: 'application_data', encrypted: true, notDecrypted: 'no-keys' }) }),
      ev({ kind: 'tls.roundTrips', source: 'captured', connection: 1, client: '127.0.0.1:5000', server: '127.0.0.1:443', version: 'TLS 1.3', roundTrips: 1, helloRetry: false }),
      ev({ kind: 'tls.record', source: 'captured', record: record({ from: 'server', contentType: 'application_data', encrypted: true,
        decrypted: { innerType: 'handshake', keys: 'handshake', generation: 0, sequence: 0, messages: ['encrypted_extensions'], alert: null, plaintextHex: '', text: null, contentLength: 4 } }) }),
    ]; // prettier-ignore
    for (const e of steps) tlsViewFold.step(s, e);
    const c = s.connections[0]!;
    expect(
      c.rows.map((r) => (r.kind === 'tcp' ? r.flags.join('+') : r.kind === 'record' ? recordLabel(r.record) : r.code)),
    ).toEqual(['SYN', 'SYN+ACK', 'ACK', 'client_hello', 'encrypted_extensions']);
    expect(c.roundTrips).toEqual({ version: 'TLS 1.3', roundTrips: 1, helloRetry: false });
  });

  it('ignores other demos, keeps stream errors, and is bounded in connections', () => {
    const s = tlsViewFold.init();
    tlsViewFold.step(s, {
      ...ev({ kind: 'tls.record', source: 'captured', record: record({}) }),
      demo: 'udp',
    } as LabEvent);
    expect(s.connections).toHaveLength(0);
    tlsViewFold.step(s, ev({ kind: 'tls.streamError', source: 'captured', connection: 9, client: 'c', server: 's', from: 'client',
      error: { code: 'E_TLS_NOT_TLS', message: { en: '', zh: '' } }, streamOffset: 0, bytesHex: '4745', text: 'GE' })); // prettier-ignore
    expect(s.connections[0]!.rows[0]).toMatchObject({ kind: 'error', code: 'E_TLS_NOT_TLS', text: 'GE' });
    for (let i = 0; i < 40; i++)
      tlsViewFold.step(
        s,
        ev({ kind: 'tls.record', source: 'captured', record: record({ connection: 100 + i, client: `c${i}` }) }),
      );
    expect(s.connections.length).toBeLessThanOrEqual(24);
    expect(pickConnection(s, 'c39')?.id).toBe(139);
    expect(pickConnection(s, 'nobody')?.id).toBe(139);
  });
});

describe('helpers', () => {
  it('labels alerts and plain messages, and spaces hex', () => {
    expect(recordLabel(record({ contentType: 'alert', alert: { level: 'fatal', description: 'decode_error' } }))).toBe(
      'alert: fatal decode_error',
    );
    expect(recordLabel(record({ contentType: 'change_cipher_spec' }))).toBe('change_cipher_spec');
    expect(hexLines('00112233445566778899aabbccddeeff0011')).toEqual([
      '00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff',
      '00 11',
    ]);
  });
});
