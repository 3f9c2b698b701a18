import { describe, expect, it } from 'vitest';
import { wireError } from '../../../core/protocol/errors.js';
import { parseControlLine, replyLine } from './faultControlLine.js';

describe('fault control lines', () => {
  it('parses set, clear and list, filling in a rule’s defaults', () => {
    expect(parseControlLine('{"action":"set","rule":{"fault":{"type":"stall"}}}')).toEqual({
      ok: true,
      request: { action: 'set', rule: { fault: { type: 'stall' }, direction: 'both', conn: 'all' } },
    });
    expect(parseControlLine('{"action":"clear","id":"f2"}')).toEqual({
      ok: true,
      request: { action: 'clear', id: 'f2' },
    });
    expect(parseControlLine('{"action":"list"}')).toEqual({ ok: true, request: { action: 'list' } });
  });

  it('says what is wrong with a bad line, with a stable code', () => {
    const code = (line: string) => {
      const r = parseControlLine(line);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code('stall please')).toBe('E_BAD_JSON');
    expect(code('{"action":"explode"}')).toBe('E_BAD_MESSAGE');
    expect(code('{"action":"set","rule":{"fault":{"type":"nope"}}}')).toBe('E_FAULT_BAD');
    expect(code('{"action":"set","rule":{"fault":{"type":"bandwidth","bytesPerSecond":0}}}')).toBe(
      'E_FAULT_OUT_OF_RANGE',
    );
  });

  it('answers one JSON line per request', () => {
    expect(replyLine({ id: 'f1' })).toBe('{"ok":true,"id":"f1"}\n');
    const refused = JSON.parse(replyLine(wireError('E_FAULT_NO_SUCH_RULE', 'f9')));
    expect(refused).toMatchObject({ ok: false, error: { code: 'E_FAULT_NO_SUCH_RULE', detail: 'f9' } });
  });
});
