// The wire protocol between the lab server and the browser, over one WebSocket at /ws.
// Owned by the server (it validates everything a browser sends); the web app imports this file through @core/protocol.
import { z } from 'zod';
import type { LabEvent } from './events.js';
import type { LocalizedText, WireError } from './errors.js';
import type { Endpoint } from './events/socket.js';

/** Bumped whenever a message changes shape. A browser that says another number is told to reload. */
export const PROTOCOL_VERSION = 1;

export { MAX_CLIENT_MESSAGE_BYTES } from './messageLimits.js';

const demoId = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a demo id is lower-case letters, digits and dashes');

// ---------------------------------------------------------------- browser → server

export const HelloMessage = z.object({
  type: z.literal('hello'),
  protocol: z.number().int(),
  build: z.string().max(64),
});

/** Replaces the set of demos whose events this browser receives; recent history of newly added demos is replayed. */
export const SubscribeMessage = z.object({
  type: z.literal('subscribe'),
  demos: z.array(demoId).max(32),
});

/** Asks a demo to do something. `args` is validated by the demo's own schema (core/protocol/demos/<demo>.ts). */
export const CommandMessage = z.object({
  type: z.literal('command'),
  id: z.number().int().nonnegative(),
  demo: demoId,
  action: z.string().regex(/^[a-zA-Z][a-zA-Z0-9.-]{0,39}$/),
  args: z.unknown().optional(),
});

export const PingMessage = z.object({ type: z.literal('ping'), t: z.number() });

export const ClientMessage = z.discriminatedUnion('type', [
  HelloMessage,
  SubscribeMessage,
  CommandMessage,
  PingMessage,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type CommandMessage = z.infer<typeof CommandMessage>;

// ---------------------------------------------------------------- server → browser

/** A port a demo listens on, shown in the banner, /api/status and the lesson page. */
export interface DemoEndpoint extends Endpoint {
  name: string;
  protocol: 'tcp' | 'udp';
  /** A command a student can run to talk to it, e.g. `nc 127.0.0.1 7401`. */
  tryWith?: string;
}

export interface DemoStatus {
  id: string;
  title: LocalizedText;
  state: 'running' | 'stopped' | 'failed';
  endpoints: DemoEndpoint[];
  error?: WireError;
}

/** Something the lab can or cannot do on this machine (e.g. packet capture), and why. */
export interface Capability {
  available: boolean;
  reason?: LocalizedText;
  /** How to enable it, e.g. a setcap command. */
  howTo?: string;
}

export interface LabStatus {
  protocol: number;
  build: string;
  demos: DemoStatus[];
  capabilities: Record<string, Capability>;
}

export type ServerMessage =
  | ({ type: 'welcome'; session: string } & LabStatus)
  | { type: 'reload'; reason: LocalizedText; serverProtocol: number; serverBuild: string }
  | {
      type: 'events';
      events: LabEvent[];
      /** Events of sampled kinds left out of this batch because the browser fell behind. */
      dropped: number;
    }
  | { type: 'reply'; id: number; ok: true; result?: unknown }
  | { type: 'reply'; id: number; ok: false; error: WireError }
  | { type: 'error'; error: WireError }
  | { type: 'pong'; t: number };
