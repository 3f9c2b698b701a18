// One plain, JSON-friendly description of a framing (what demos, commands and views pass around) and the
// factory that turns it into a decoder or an encoder.
import { DelimiterDecoder, DelimiterEncoder, DEFAULT_MAX_LINE } from './delimiterCodec.js';
import { FixedLengthDecoder, FixedLengthEncoder } from './fixedLengthCodec.js';
import type { FrameDecoder, FrameEncoder } from './frameCodec.js';
import { DEFAULT_MAX_FRAME, LengthPrefixDecoder, LengthPrefixEncoder, type LengthHeader } from './lengthPrefixCodec.js';

/**
 * @example { mode: 'length-prefix', header: 'u32be', maxFrame: 1048576 }
 * @example { mode: 'delimiter', delimiter: '\n', maxLine: 65536, escape: false, dropCR: true }
 * @example { mode: 'fixed', size: 32, padByte: 0 }
 */
export type FramingConfig =
  | { mode: 'fixed'; size: number; padByte?: number }
  | { mode: 'delimiter'; delimiter?: string; maxLine?: number; escape?: boolean; dropCR?: boolean }
  | { mode: 'length-prefix'; header?: LengthHeader; maxFrame?: number };

const utf8 = new TextEncoder();

function delimiterOptions(config: Extract<FramingConfig, { mode: 'delimiter' }>) {
  return {
    delimiter: config.delimiter === undefined ? undefined : utf8.encode(config.delimiter),
    maxLine: config.maxLine,
    escape: config.escape,
    dropCR: config.dropCR,
  };
}

export function createDecoder(config: FramingConfig): FrameDecoder {
  switch (config.mode) {
    case 'fixed':
      return new FixedLengthDecoder(config);
    case 'delimiter':
      return new DelimiterDecoder(delimiterOptions(config));
    case 'length-prefix':
      return new LengthPrefixDecoder(config);
  }
}

export function createEncoder(config: FramingConfig): FrameEncoder {
  switch (config.mode) {
    case 'fixed':
      return new FixedLengthEncoder(config);
    case 'delimiter':
      return new DelimiterEncoder(delimiterOptions(config));
    case 'length-prefix':
      return new LengthPrefixEncoder(config);
  }
}

/** A short human description, e.g. "length prefix (u32be, max 1048576 B)". */
export function describeFraming(config: FramingConfig): string {
  switch (config.mode) {
    case 'fixed':
      return `fixed length (${config.size} B records, pad 0x${(config.padByte ?? 0).toString(16).padStart(2, '0')})`;
    case 'delimiter': {
      const shown = JSON.stringify(config.delimiter ?? '\n');
      return `delimiter ${shown} (max line ${config.maxLine ?? DEFAULT_MAX_LINE} B${config.escape ? ', escaped' : ''})`;
    }
    case 'length-prefix':
      return `length prefix (${config.header ?? 'u32be'}, max ${config.maxFrame ?? DEFAULT_MAX_FRAME} B)`;
  }
}
