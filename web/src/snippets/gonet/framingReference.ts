// 'gonet/framing': the lab's own framing codecs (core/framing), for exercise checks to build and read frames
// with. Only checks.ts may import it: a student's exercise is to write such a decoder.
export { LengthPrefixDecoder, LengthPrefixEncoder } from '@core/framing/lengthPrefixCodec';
export { DelimiterDecoder, DelimiterEncoder } from '@core/framing/delimiterCodec';
export { FixedLengthDecoder, FixedLengthEncoder } from '@core/framing/fixedLengthCodec';
