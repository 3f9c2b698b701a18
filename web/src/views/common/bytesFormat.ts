// Shows bytes to a student: as text with visible control characters, and as hex. Pure.

export function bytesFromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** UTF-8 text with newline, tab, CR and other control bytes drawn as visible symbols (␊ ␉ ␍ ·). */
export function visibleText(bytes: Uint8Array): string {
  // Control characters are exactly what this draws.
  // eslint-disable-next-line no-control-regex
  return decoder.decode(bytes).replace(/[\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\n') return '␊';
    if (c === '\r') return '␍';
    if (c === '\t') return '␉';
    return c === '\u007f' ? '␡' : String.fromCharCode(0x2400 + c.charCodeAt(0));
  });
}

export function hexBytes(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (i ? ' ' : '') + bytes[i]!.toString(16).padStart(2, '0');
  return out;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatClock(t: number): string {
  const d = new Date(t);
  return `${d.toTimeString().slice(0, 8)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
