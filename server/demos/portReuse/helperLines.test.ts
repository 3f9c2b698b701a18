// The Go helper's output lines: each step it prints is read with its fields; anything else is skipped.
import { describe, expect, it } from 'vitest';
import { lineOf, listenOutcome, parseHelperLine, portOf } from './helperLines.js';

describe('parseHelperLine', () => {
  it('reads a failed listen with the error as Go printed it', () => {
    const line = parseHelperLine(
      '{"errno":"EADDRINUSE","error":"listen tcp 127.0.0.1:41234: bind: address already in use","event":"listen","ok":false}',
    );
    expect(line).toEqual({
      event: 'listen',
      ok: false,
      errno: 'EADDRINUSE',
      error: 'listen tcp 127.0.0.1:41234: bind: address already in use',
    });
    expect(listenOutcome(line as { ok: boolean })).toEqual({
      ok: false,
      errno: 'EADDRINUSE',
      error: 'listen tcp 127.0.0.1:41234: bind: address already in use',
    });
  });

  it('reads a group listener, a served connection and a closing count', () => {
    expect(parseHelperLine('{"addr":"127.0.0.1:5000","event":"listen","id":3,"ok":true}')).toEqual({
      event: 'listen',
      ok: true,
      addr: '127.0.0.1:5000',
      id: 3,
    });
    expect(parseHelperLine('{"event":"served","local":"127.0.0.1:5000","remote":"127.0.0.1:40000"}')).toMatchObject({
      event: 'served',
      remote: '127.0.0.1:40000',
    });
    expect(parseHelperLine('{"accepted":250,"event":"closed","id":1}')).toEqual({
      event: 'closed',
      id: 1,
      accepted: 250,
    });
  });

  it('skips what is not a step: other text, unknown events, missing or wrong fields', () => {
    for (const text of [
      '',
      'panic: oops',
      '{"event":"listen"}',
      '{"event":"closed","id":1,"accepted":-1}',
      '{"event":"dance","ok":true}',
      '[1,2]',
      'null',
      '{"event":"served","local":"x"}',
    ])
      expect(parseHelperLine(text)).toBeNull();
  });

  it('matches lines by kind', () => {
    const closed = parseHelperLine('{"accepted":2,"event":"closed","id":0}')!;
    expect(lineOf('closed')(closed)).toBe(true);
    expect(lineOf('listen')(closed)).toBe(false);
  });
});

describe('portOf', () => {
  it('takes the port of ip:port and [ip]:port, and refuses what is not one', () => {
    expect(portOf('127.0.0.1:41234')).toBe(41234);
    expect(portOf('[::1]:8080')).toBe(8080);
    expect(portOf('127.0.0.1:0')).toBeNull();
    expect(portOf('127.0.0.1:70000')).toBeNull();
    expect(portOf('127.0.0.1')).toBeNull();
    expect(portOf(undefined)).toBeNull();
  });
});
