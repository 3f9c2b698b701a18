// Commands the browser sends to the handshake demo (lesson 4), and their replies.
import { z } from 'zod';
import type { LocalizedText, WireError } from '../errors.js';
import type { CaptureStatus } from '../events/packet.js';

export const HANDSHAKE_DEMO = 'handshake';

export const HANDSHAKE_SCENARIOS = ['client-closes', 'server-closes', 'refused', 'half-close', 'close-wait-pileup', 'time-wait'] as const;
export type HandshakeScenario = (typeof HANDSHAKE_SCENARIOS)[number];

export const HandshakeRunArgs = z
  .object({
    scenario: z.enum(HANDSHAKE_SCENARIOS),
    /**
     * Pause between the steps of a scenario, ms. Loopback finishes a handshake in microseconds; the pause lets the
     * kernel-table poller see each state, and the student follow along.
     */
    stepDelayMs: z.number().int().min(0).max(2000).default(150),
    /** close-wait-pileup: how many clients connect to the server that never closes. */
    clients: z.number().int().min(1).max(20).default(5),
  })
  .strict();
export type HandshakeRunArgs = z.infer<typeof HandshakeRunArgs>;

export const HandshakeCloseLeakedArgs = z.object({}).strict();
export const HandshakeStatusArgs = z.object({}).strict();

export interface HandshakeCaptureInfo {
  status: CaptureStatus;
  error?: WireError;
  howToEnable?: LocalizedText;
  enableCommand?: string;
}

export interface HandshakeStatus {
  capture: HandshakeCaptureInfo;
  polling: boolean;
  /** The listener's port and the port nobody listens on (for the RST scenario). */
  ports: { listen: number; closed: number };
  running: HandshakeScenario | null;
  /** Server sockets left in CLOSE_WAIT by the close-wait-pileup scenario. */
  leaked: number;
}

export interface HandshakeRunResult {
  run: number;
  clients: string[];
}
