// The largest messages the lab reads on its two WebSockets; one place, so the error texts quote the real limits.

/** The largest text message the server reads from a browser on /ws. */
export const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;
/** The largest control (text) message the server reads on the socket bridge. */
export const MAX_CONTROL_MESSAGE_BYTES = 4 * 1024;

/** "64 KiB", "4 KiB", "512 bytes": how a limit is written in an error text. */
export function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
