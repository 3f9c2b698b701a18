// Reads NSS key log lines (the SSLKEYLOGFILE format Wireshark loads; Node's 'keylog' event gives one per line) into
// the secrets of each session, named by its ClientHello random; pure and bounded.

/** Labels a TLS 1.3 session logs, and CLIENT_RANDOM (the TLS 1.2 master secret). */
export type KeyLogLabel =
  | 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'
  | 'SERVER_HANDSHAKE_TRAFFIC_SECRET'
  | 'CLIENT_TRAFFIC_SECRET_0'
  | 'SERVER_TRAFFIC_SECRET_0'
  | 'EXPORTER_SECRET'
  | 'CLIENT_EARLY_TRAFFIC_SECRET'
  | 'CLIENT_RANDOM';

const LABELS: ReadonlySet<string> = new Set<KeyLogLabel>([
  'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
  'SERVER_HANDSHAKE_TRAFFIC_SECRET',
  'CLIENT_TRAFFIC_SECRET_0',
  'SERVER_TRAFFIC_SECRET_0',
  'EXPORTER_SECRET',
  'CLIENT_EARLY_TRAFFIC_SECRET',
  'CLIENT_RANDOM',
]);

export interface KeyLogLine {
  label: KeyLogLabel;
  /** Hex of the ClientHello's random (64 hex digits). */
  clientRandom: string;
  secret: Buffer;
}

const LINE = /^([A-Z_0-9]+) ([0-9a-fA-F]{64}) ([0-9a-fA-F]{32,256})$/;

/** One line (with or without its newline); null for comments, blanks and labels the lab does not use. */
export function parseKeyLogLine(line: string): KeyLogLine | null {
  const m = LINE.exec(line.trim());
  if (!m || !LABELS.has(m[1]!) || m[3]!.length % 2 !== 0) return null;
  return { label: m[1] as KeyLogLabel, clientRandom: m[2]!.toLowerCase(), secret: Buffer.from(m[3]!, 'hex') };
}

/** The secrets of the newest sessions (oldest forgotten first, so a long-running lab stays bounded). */
export class KeyLogBook {
  private readonly sessions = new Map<string, Map<KeyLogLabel, Buffer>>();

  constructor(private readonly maxSessions = 1024) {}

  get size(): number {
    return this.sessions.size;
  }

  add(line: KeyLogLine): void {
    let secrets = this.sessions.get(line.clientRandom);
    if (!secrets) {
      if (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
      secrets = new Map();
      this.sessions.set(line.clientRandom, secrets);
    }
    secrets.set(line.label, line.secret);
  }

  addText(text: string): number {
    let added = 0;
    for (const raw of text.split('\n')) {
      const line = parseKeyLogLine(raw);
      if (line) {
        this.add(line);
        added++;
      }
    }
    return added;
  }

  secret(clientRandom: string, label: KeyLogLabel): Buffer | null {
    return this.sessions.get(clientRandom)?.get(label) ?? null;
  }
}
