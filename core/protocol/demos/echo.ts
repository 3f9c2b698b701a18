// Commands the browser sends to the echo demo (lesson 1), and their replies.
import { z } from 'zod';

export const ECHO_DEMO = 'echo';

export const EchoConnectArgs = z.object({}).strict();
export const EchoSendArgs = z.object({
  client: z.string().max(32),
  text: z.string().max(16 * 1024),
  /** Append "\n", as a line-based client (nc) would. */
  newline: z.boolean().default(true),
});
export const EchoCloseArgs = z.object({ client: z.string().max(32) });

export interface EchoConnectResult {
  client: string;
  /** The client socket's local port: the server-side connection's remote port. */
  localPort: number;
}
