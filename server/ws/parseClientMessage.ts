// Validates one WebSocket message from a browser: size, text, JSON, then the protocol schema. Pure.
import { wireError, type WireError } from '../../core/protocol/errors.js';
import { ClientMessage, MAX_CLIENT_MESSAGE_BYTES } from '../../core/protocol/wire.js';

export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; error: WireError; id?: number };

export function parseClientMessage(data: Buffer | string, isBinary: boolean): ParseResult {
  if (isBinary) return { ok: false, error: wireError('E_BINARY_NOT_ACCEPTED') };
  const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (size > MAX_CLIENT_MESSAGE_BYTES) {
    return {
      ok: false,
      error: wireError('E_MESSAGE_TOO_LARGE', `${size} bytes; the limit is ${MAX_CLIENT_MESSAGE_BYTES}`),
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch (err) {
    return { ok: false, error: wireError('E_BAD_JSON', (err as Error).message) };
  }
  const parsed = ClientMessage.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`)
      .join('; ');
    // Echo the command id back when there is one, so the browser can settle the pending request.
    const id =
      typeof value === 'object' && value !== null && Number.isInteger((value as { id?: unknown }).id)
        ? (value as { id: number }).id
        : undefined;
    return id === undefined
      ? { ok: false, error: wireError('E_BAD_MESSAGE', detail) }
      : { ok: false, error: wireError('E_BAD_MESSAGE', detail), id };
  }
  return { ok: true, message: parsed.data };
}
