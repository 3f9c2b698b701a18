// The TLS decoder on checked-in captures of edge cases (made on loopback with tcpdump, openssl s_server/s_client and
// Node; fixtures/README.md says how): a handshake message spread over several records, a record spread over several
// TCP segments, and a HelloRetryRequest.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TlsEvent, TlsRecordFields } from '../../../../core/protocol/events/tls.js';
import { CaptureProcessor } from '../captureProcessor.js';
import { TLS_CAPTURE_HEX_BYTES, TlsCaptureReader } from './tlsCaptureReader.js';

function decode(name: string): TlsEvent[] {
  const bytes = readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
  const processor = new CaptureProcessor({ inferStates: false, maxHexBytes: TLS_CAPTURE_HEX_BYTES });
  const reader = new TlsCaptureReader();
  return [...processor.push(bytes), ...processor.end()].flatMap((e) => reader.push(e));
}

const records = (events: TlsEvent[]): TlsRecordFields[] =>
  events.flatMap((e) => (e.kind === 'tls.record' ? [e.record] : []));

describe('checked-in TLS captures', () => {
  it('TLS 1.2 with 512-byte records: the Certificate message is put back together from the records it spans', () => {
    const events = decode('tls12-certificate-across-records.pcap');
    const server = records(events).filter((r) => r.from === 'server');
    const handshake = server.filter((r) => r.contentType === 'handshake' && !r.encrypted);
    expect(handshake.every((r) => r.length <= 512)).toBe(true);
    // The certificate ends in a later record than the one it starts in: some records end no message at all.
    expect(handshake.some((r) => r.messages.length === 0)).toBe(true);
    expect(handshake.flatMap((r) => r.messages)).toEqual(
      expect.arrayContaining(['server_hello', 'certificate', 'server_key_exchange', 'server_hello_done']),
    );
    // After each side's change_cipher_spec its records are encrypted (Finished, then the closing alerts).
    const afterCcs = records(events).filter((r) => r.encrypted);
    expect(afterCcs.map((r) => r.contentType)).toEqual(expect.arrayContaining(['handshake', 'alert']));
    expect(afterCcs.every((r) => r.notDecrypted === 'no-keys' && r.alert === null)).toBe(true);
  });

  it('a ClientHello written in three pieces (3, 37 and the rest bytes) is read as one record', () => {
    const all = records(decode('tls13-client-hello-across-segments.pcap'));
    const hello = all.find((r) => r.clientHello)!;
    expect(hello).toMatchObject({ from: 'client', index: 0, streamOffset: 0, contentType: 'handshake' });
    expect(hello.clientHello!.serverName).toBe('localhost');
    expect(all.find((r) => r.serverHello)?.serverHello?.version).toBe('TLS 1.3');
  });

  it('a HelloRetryRequest: the server asks for P-256 after a P-384-only key share, and the client tries again', () => {
    const events = decode('tls13-hello-retry-request.pcap');
    const all = records(events);
    const hellos = all.filter((r) => r.clientHello).map((r) => r.clientHello!.keyShareGroups);
    expect(hellos).toEqual([['secp384r1'], ['secp256r1']]);
    const hrr = all.find((r) => r.serverHello?.helloRetryRequest)!;
    expect(hrr.messages).toEqual(['hello_retry_request']);
    expect(hrr.serverHello).toMatchObject({ version: 'TLS 1.3', keyShareGroup: 'secp256r1' });
    const sh = all.find((r) => r.serverHello && !r.serverHello.helloRetryRequest)!;
    expect(sh.serverHello!.keyShareGroup).toBe('secp256r1');
    // No key log here: the encrypted records are shown as such, not opened.
    expect(all.filter((r) => r.encrypted).every((r) => r.notDecrypted === 'no-keys')).toBe(true);
    expect(events.find((e) => e.kind === 'tls.roundTrips')).toMatchObject({ roundTrips: 2, helloRetry: true });
  });
});
