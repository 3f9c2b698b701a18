import { describe, expect, it } from 'vitest';
import { figureText } from './figureText';

describe('figureText', () => {
  it('writes a figure with the decimals asked for, none by default', () => {
    expect(figureText(1234.567)).toBe('1235');
    expect(figureText(1234.567, 2)).toBe('1234.57');
    expect(figureText(0)).toBe('0');
  });

  it('writes a dash for a missing figure, null or undefined', () => {
    expect(figureText(null)).toBe('–');
    expect(figureText(undefined, 3)).toBe('–');
  });
});
