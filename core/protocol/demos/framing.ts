// Commands the browser sends to the framing demo (lesson 3): clients of the three framing servers, and their replies.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';
import type { FramingConfig } from '../../framing/framingConfig.js';

export const FRAMING_DEMO = 'framing';

export const FramingModeArg = z.enum(['fixed', 'delimiter', 'length-prefix']);

export const FramingConnectArgs = z.object({ mode: FramingModeArg }).strict();

export const FramingSendArgs = z
  .object({
    client: z.string().max(32),
    /** UTF-8 messages; each is framed by the server's framing, and all go out in one write unless chunked. */
    messages: z
      .array(z.string().max(16 * 1024))
      .min(1)
      .max(64),
    /** Split the framed bytes into writes of this many bytes, to show frames arriving in pieces. */
    chunkBytes: z
      .number()
      .int()
      .min(1)
      .max(1024 * 1024)
      .optional(),
    /** Pause between those writes, ms. */
    chunkDelayMs: z.number().int().min(0).max(2000).default(0),
  })
  .strict()
  .refine((a) => a.messages.reduce((n, m) => n + m.length, 0) <= 48 * 1024, {
    message: 'at most 48 KiB of messages per send',
  })
  .refine((a) => a.chunkDelayMs === 0 || a.chunkBytes !== undefined, { message: 'chunkDelayMs needs chunkBytes' })
  .refine(
    (a) => a.chunkDelayMs * Math.ceil(a.messages.reduce((n, m) => n + m.length + 8, 0) / (a.chunkBytes ?? 1)) <= 20_000,
    {
      message: 'the pauses between chunks must add up to at most 20 s',
    },
  );

export type FramingSendArgs = z.infer<typeof FramingSendArgs>;

/** Raw bytes, for bad frames: a length prefix above the maximum, a line with no newline, a cut-off frame. */
export const FramingSendRawArgs = z
  .object({
    client: z.string().max(32),
    hex: z
      .string()
      .regex(/^([0-9a-fA-F]{2})*$/, 'hex digits, two per byte')
      .max(32 * 1024),
    /** Send the bytes this many times (a long line without a delimiter, say). */
    repeat: z.number().int().min(1).max(1_000_000).default(1),
    /** Close the sending side afterwards (FIN), so a cut-off frame is seen at EOF. */
    end: z.boolean().default(false),
  })
  .strict()
  .refine((a) => (a.hex.length / 2) * a.repeat <= 4 * 1024 * 1024, { message: 'at most 4 MiB of raw bytes' });

export type FramingSendRawArgs = z.infer<typeof FramingSendRawArgs>;

export const FramingCloseArgs = z.object({ client: z.string().max(32) }).strict();

export const FramingConnectResult = z.object({
  client: z.string(),
  mode: FramingModeArg,
  /** The server-side connection id (events carry it as `conn`). */
  conn: z.string().nullable(),
  localPort: z.number().int(),
});
export type FramingConnectResult = z.infer<typeof FramingConnectResult>;

export const FramingSendResult = z.object({
  /** Bytes written, framing included. */
  wireBytes: z.number().int(),
  payloadBytes: z.number().int(),
  writes: z.number().int(),
});
export type FramingSendResult = z.infer<typeof FramingSendResult>;

export const FRAMING_COMMANDS = defineCommands({
  /** Opens a client connection to one of the three framing servers, owned by the caller's session. */
  connect: { args: FramingConnectArgs, result: FramingConnectResult },
  send: { args: FramingSendArgs, result: FramingSendResult },
  sendRaw: { args: FramingSendRawArgs, result: z.object({ bytes: z.number().int() }) },
  close: { args: FramingCloseArgs, result: z.object({ closed: z.string() }) },
});

/** The framing of each of the demo's servers (the lessons quote these numbers). */
export const FRAMING_SERVER_CONFIGS = {
  // Short records so that typing into nc fills one quickly.
  fixed: { mode: 'fixed', size: 16, padByte: 0 },
  // nc and telnet clients: "\n" ends a line, a "\r" before it is dropped; a line is at most 4 KiB.
  delimiter: { mode: 'delimiter', delimiter: '\n', maxLine: 4096, escape: false, dropCR: true },
  // The format of Go's binary.BigEndian.PutUint32, up to 1 MiB a frame.
  'length-prefix': { mode: 'length-prefix', header: 'u32be', maxFrame: 1024 * 1024 },
} as const satisfies Record<z.infer<typeof FramingModeArg>, FramingConfig>;
