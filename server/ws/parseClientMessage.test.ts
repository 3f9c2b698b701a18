import { describe, expect, it } from 'vitest';
import { MAX_CLIENT_MESSAGE_BYTES, PROTOCOL_VERSION } from '../../core/protocol/wire.js';
import { parseClientMessage } from './parseClientMessage.js';

const text = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('parseClientMessage', () => {
  it('accepts each message type of the protocol', () => {
    for (const m of [
      { type: 'hello', protocol: PROTOCOL_VERSION, build: 'abc' },
      { type: 'subscribe', demos: ['echo'] },
      { type: 'command', id: 1, demo: 'echo', action: 'connect', args: {} },
      { type: 'ping', t: 5 },
    ]) {
      const r = parseClientMessage(text(m), false);
      expect(r).toEqual({ ok: true, message: m });
    }
  });

  it('refuses binary frames', () => {
    const r = parseClientMessage(Buffer.from([1, 2, 3]), true);
    expect(r.ok || r.error.code).toBe('E_BINARY_NOT_ACCEPTED');
  });

  it('refuses messages over the size limit before parsing them', () => {
    const big = Buffer.alloc(MAX_CLIENT_MESSAGE_BYTES + 1, 0x20);
    const r = parseClientMessage(big, false);
    expect(r.ok || r.error.code).toBe('E_MESSAGE_TOO_LARGE');
    expect(r.ok || r.error.detail).toContain(String(MAX_CLIENT_MESSAGE_BYTES + 1));
  });

  it('reports malformed JSON', () => {
    const r = parseClientMessage(Buffer.from('{"type":'), false);
    expect(r.ok || r.error.code).toBe('E_BAD_JSON');
  });

  it('reports unknown types and missing fields with the path', () => {
    const unknown = parseClientMessage(text({ type: 'explode' }), false);
    expect(unknown.ok || unknown.error.code).toBe('E_BAD_MESSAGE');
    const missing = parseClientMessage(text({ type: 'command', id: 7, demo: 'echo' }), false);
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.code).toBe('E_BAD_MESSAGE');
      expect(missing.error.detail).toContain('action');
      expect(missing.id).toBe(7); // so the browser can settle its pending command
    }
  });

  it('rejects hostile demo names and non-objects', () => {
    for (const v of [
      null,
      42,
      'hello',
      [],
      { type: 'subscribe', demos: ['../../etc'] },
      { type: 'command', id: -1, demo: 'echo', action: 'x' },
    ]) {
      const r = parseClientMessage(text(v), false);
      expect(r.ok).toBe(false);
    }
  });

  it('every error carries messages in both languages', () => {
    const r = parseClientMessage(Buffer.from('nope'), false);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message.en.length).toBeGreaterThan(10);
      expect(r.error.message.zh.length).toBeGreaterThan(4);
    }
  });
});
