// Commands the browser sends to the handshake demo (lesson 4), and their replies.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';
import type { LocalizedText, WireError } from '../errors.js';
import type { CaptureStatus } from '../events/packet.js';

export const HANDSHAKE_DEMO = 'handshake';

export const HANDSHAKE_SCENARIOS = [
  'client-closes',
  'server-closes',
  'refused',
  'half-close',
  'close-wait-pileup',
  'time-wait',
] as const;
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

export const HandshakeStatus = z.object({
  // The capture's state is the event model's type too (handshake.capture events carry it): written once, there.
  capture: z.custom<HandshakeCaptureInfo>(),
  polling: z.boolean(),
  /** The listener's port and the port nobody listens on (for the RST scenario). */
  ports: z.object({ listen: z.number().int(), closed: z.number().int() }),
  running: z.enum(HANDSHAKE_SCENARIOS).nullable(),
  /** Server sockets left in CLOSE_WAIT by the close-wait-pileup scenario. */
  leaked: z.number().int(),
});
export type HandshakeStatus = z.infer<typeof HandshakeStatus>;

export const HandshakeRunResult = z.object({
  run: z.number().int(),
  clients: z.array(z.string()),
});
export type HandshakeRunResult = z.infer<typeof HandshakeRunResult>;

export const HANDSHAKE_COMMANDS = defineCommands({
  /** Runs a scenario on real connections; resolves when it is over. */
  run: { args: HandshakeRunArgs, result: HandshakeRunResult },
  closeLeaked: { args: HandshakeCloseLeakedArgs, result: z.object({ closed: z.number().int() }) },
  status: { args: HandshakeStatusArgs, result: HandshakeStatus },
});
