// Short text previews of channel values for events (arrows in the timeline are labelled with them).

import type { ChanValue } from '../protocol/events/goroutine.js';

const MAX_PREVIEW = 40;

/**
 * A channel value for an event: numbers and booleans travel as themselves (turning a number into text costs more
 * than the rest of recording a hand-off, and a view formats only the labels it draws); anything else is previewed
 * now, because an object may change or be large after the send.
 */
export function eventValue(value: unknown): ChanValue {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  return previewValue(value);
}

/** A short, human-readable rendering of any value; cheap for the common cases (numbers, short strings). */
export function previewValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'string':
      return value.length <= MAX_PREVIEW - 2
        ? JSON.stringify(value)
        : `${JSON.stringify(value.slice(0, MAX_PREVIEW - 3))}…`;
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
  if (Array.isArray(value)) return clip(`[${value.slice(0, 8).map(shallow).join(' ')}${value.length > 8 ? ' …' : ''}]`);
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) {
    // A class instance (a connection, a request): its own string form if it has one, else its type. Never
    // serialised: it may be large or circular, and this runs on every send while a listener is attached.
    const own = (value as { toString?: () => string }).toString;
    if (typeof own === 'function' && own !== Object.prototype.toString) return clip(String(own.call(value)));
    return `&${(value.constructor as { name?: string } | undefined)?.name || 'object'}{…}`;
  }
  const keys = Object.keys(value);
  const parts = keys.slice(0, 6).map((k) => `${k}:${shallow((value as Record<string, unknown>)[k])}`);
  return clip(`{${parts.join(' ')}${keys.length > 6 ? ' …' : ''}}`);
}

/** One level of a composite value: scalars in full, nested objects as an ellipsis. */
function shallow(v: unknown): string {
  return typeof v === 'object' && v !== null ? '…' : previewValue(v);
}

function clip(text: string): string {
  return text.length <= MAX_PREVIEW ? text : `${text.slice(0, MAX_PREVIEW - 1)}…`;
}
