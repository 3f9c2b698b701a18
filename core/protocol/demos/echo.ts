// Commands the browser sends to the echo demo (lesson 1), and their replies.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';

export const ECHO_DEMO = 'echo';

export const EchoConnectArgs = z.object({}).strict();
export const EchoSendArgs = z.object({
  client: z.string().max(32),
  text: z.string().max(16 * 1024),
  /** Append "\n", as a line-based client (nc) would. */
  newline: z.boolean().default(true),
});
export const EchoCloseArgs = z.object({ client: z.string().max(32) });

export const EchoConnectResult = z.object({
  client: z.string(),
  /** The client socket's local port: the server-side connection's remote port. */
  localPort: z.number().int(),
});
export type EchoConnectResult = z.infer<typeof EchoConnectResult>;

export const ECHO_COMMANDS = defineCommands({
  /** Opens a client connection to the echo server, owned by the caller's session. */
  connect: { args: EchoConnectArgs, result: EchoConnectResult },
  send: { args: EchoSendArgs, result: z.object({ bytes: z.number().int() }) },
  close: { args: EchoCloseArgs, result: z.object({ closed: z.string() }) },
});
