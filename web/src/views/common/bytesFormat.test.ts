import { describe, expect, it } from 'vitest';
import { bytesFromBase64, formatBytes, hexBytes, visibleText } from './bytesFormat';

describe('bytes as a student sees them', () => {
  it('decodes base64 and shows control characters', () => {
    const bytes = bytesFromBase64(Buffer.from('hi\r\n\tx\u0000\u007f').toString('base64'));
    expect(visibleText(bytes)).toBe('hi␍␊␉x␀␡');
    expect(hexBytes(bytes)).toBe('68 69 0d 0a 09 78 00 7f');
  });
  it('keeps UTF-8 text, including Chinese', () => {
    expect(visibleText(new TextEncoder().encode('你好\n'))).toBe('你好␊');
  });
  it('formats sizes', () => {
    expect([formatBytes(12), formatBytes(2048), formatBytes(3 * 1024 * 1024)]).toEqual(['12 B', '2.0 KiB', '3.0 MiB']);
  });
});
