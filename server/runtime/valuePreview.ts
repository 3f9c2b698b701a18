// Short text previews of channel values for events (arrows in the timeline are labelled with them).

const MAX_PREVIEW = 40;

/** A short, human-readable rendering of any value; cheap for the common cases (numbers, short strings). */
export function previewValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'string':
      return value.length <= MAX_PREVIEW - 2 ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, MAX_PREVIEW - 3))}…`;
    case 'undefined':
      return 'nil';
    case 'function':
      return `func ${value.name || 'anonymous'}`;
    case 'symbol':
      return value.toString();
    default:
      return previewObject(value as object | null);
  }
}

function previewObject(value: object | null): string {
  if (value === null) return 'nil';
  if (value instanceof Error) return clip(`error(${value.message})`);
  if (value instanceof Uint8Array) return `[]byte(len ${value.length})`;
  if (Array.isArray(value)) return clip(`[${value.map((v) => (typeof v === 'object' && v !== null ? '…' : previewValue(v))).join(' ')}]`);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return clip(text);
}

function clip(text: string): string {
  return text.length <= MAX_PREVIEW ? text : `${text.slice(0, MAX_PREVIEW - 1)}…`;
}
