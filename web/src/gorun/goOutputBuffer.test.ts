import { describe, expect, it } from 'vitest';
import { GoOutputBuffer } from './goOutputBuffer';

const texts = (b: GoOutputBuffer) => b.lines.map((l) => `${l.stream}:${l.text}${l.complete ? '' : '…'}`);

describe('GoOutputBuffer', () => {
  it('joins chunks into lines per stream, whatever the split', () => {
    const whole = 'listening on 127.0.0.1:4000\naccepted 1\nclosed 1\n';
    for (let cut = 0; cut <= whole.length; cut++) {
      const b = new GoOutputBuffer();
      b.append('stdout', whole.slice(0, cut));
      b.append('stdout', whole.slice(cut));
      expect(texts(b)).toEqual(['stdout:listening on 127.0.0.1:4000', 'stdout:accepted 1', 'stdout:closed 1']);
    }
  });

  it('keeps stdout and stderr apart when their chunks interleave', () => {
    const b = new GoOutputBuffer();
    b.append('stdout', 'hel');
    b.append('stderr', 'log: sta');
    b.append('stdout', 'lo\n');
    b.append('stderr', 'rted\n');
    expect(texts(b)).toEqual(['stdout:hello', 'stderr:log: started']);
  });

  it('leaves an unfinished line open until the run ends', () => {
    const b = new GoOutputBuffer();
    b.append('stdout', 'a\nno newline');
    expect(texts(b)).toEqual(['stdout:a', 'stdout:no newline…']);
    b.finish();
    expect(texts(b)).toEqual(['stdout:a', 'stdout:no newline']);
    b.append('stdout', 'next');
    expect(texts(b)).toEqual(['stdout:a', 'stdout:no newline', 'stdout:next…']);
  });

  it('treats CRLF as one line end and keeps empty lines', () => {
    const b = new GoOutputBuffer();
    b.append('stdout', 'a\r\n\r\nb\n');
    expect(texts(b)).toEqual(['stdout:a', 'stdout:', 'stdout:b']);
  });

  it('drops the oldest lines past its bound and counts them', () => {
    const b = new GoOutputBuffer({ maxLines: 3, maxLineChars: 100 });
    b.append('stdout', Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join(''));
    expect(texts(b)).toEqual(['stdout:line 7', 'stdout:line 8', 'stdout:line 9']);
    expect(b.droppedLines).toBe(7);
    // Ids keep increasing, so a view's keys stay unique after drops.
    expect(b.lines.map((l) => l.id)).toEqual([8, 9, 10]);
  });

  it('cuts a line longer than its bound and counts what it cut', () => {
    const b = new GoOutputBuffer({ maxLines: 10, maxLineChars: 5 });
    b.append('stderr', 'abc');
    b.append('stderr', 'defgh\nxy\n');
    expect(texts(b)).toEqual(['stderr:abcde', 'stderr:xy']);
    expect(b.cutChars).toBe(3);
  });

  it('changes its version on every append, and not for an empty chunk', () => {
    const b = new GoOutputBuffer();
    const v0 = b.version;
    b.append('stdout', '');
    expect(b.version).toBe(v0);
    b.append('stdout', 'x');
    expect(b.version).toBeGreaterThan(v0);
    expect(b.text()).toBe('x');
  });
});
