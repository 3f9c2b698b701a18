// The error a framing codec raises: a stable wire code, the stream offset of the bad frame, and a plain detail.
import { LabError, type ErrorCode } from '../protocol/errors.js';

/** The codes a framing codec can raise (their messages live in protocol/errors.ts). */
export type FramingErrorCode = Extract<
  ErrorCode,
  | 'E_FRAME_TOO_LARGE'
  | 'E_TRUNCATED_FRAME'
  | 'E_LINE_TOO_LONG'
  | 'E_BAD_VARINT'
  | 'E_BAD_ESCAPE'
  | 'E_DELIMITER_IN_MESSAGE'
>;

/**
 * A framing failure. Decoders keep it once raised: the stream cannot be resynchronised after a bad frame,
 * so the connection has to be closed (the lab closes it and shows `code` and `detail`).
 */
export class FramingError extends LabError {
  constructor(
    override readonly code: FramingErrorCode,
    detail: string,
    /** Byte offset in the stream where the bad frame starts (-1 for encoder errors, which have no stream). */
    readonly streamOffset: number = -1,
  ) {
    super(code, detail);
    this.name = 'FramingError';
  }
}
