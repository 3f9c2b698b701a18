// The replay position shared by the handshake views (scenario panel, flow graph, state machine), so they pause,
// step and play together. A tiny external store; the timing rule is pure and tested in handshakeReplay.test.ts.
import { useSyncExternalStore } from 'react';
import type { Recording } from './handshakeRecording';

/** 'even': one item every 600 ms. A number: real time slowed by that factor (1000 → 1 ms takes 1 s). */
export type ReplaySpeed = 'even' | 1000 | 100 | 10 | 1;

export const REPLAY_SPEEDS: readonly ReplaySpeed[] = ['even', 1000, 100, 10, 1];

export interface ReplayState {
  /** The recording shown (run number), or null for the latest. */
  run: number | null;
  /** How many of the recording's items are shown; null = all of them, following a live run. */
  cursor: number | null;
  playing: boolean;
  speed: ReplaySpeed;
  /** A recording read back from an exported JSON file; shown when `run` is IMPORTED_RUN. */
  imported: Recording | null;
}

export const IMPORTED_RUN = -1;

const EVEN_MS = 600;
const MIN_MS = 40;
const MAX_MS = 2000;

/** How long to wait before showing item `next`, given the times of the items. */
export function replayDelayMs(times: readonly number[], next: number, speed: ReplaySpeed): number {
  if (speed === 'even' || next <= 0 || next >= times.length) return EVEN_MS;
  const gap = Math.max(0, times[next]! - times[next - 1]!) * speed;
  // Loopback gaps are microseconds and pauses are hundreds of ms: clamp so both stay watchable.
  return Math.min(MAX_MS, Math.max(MIN_MS, gap));
}

export class ReplayStore {
  private state: ReplayState = { run: null, cursor: null, playing: false, speed: 'even', imported: null };
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private times: readonly number[] = [];

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ReplayState => this.state;

  private set(patch: Partial<ReplayState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  select(run: number | null): void {
    this.stopTimer();
    this.set({ run, cursor: null, playing: false });
  }

  showImported(rec: Recording): void {
    this.stopTimer();
    this.set({ run: IMPORTED_RUN, imported: rec, cursor: null, playing: false });
  }

  /** Shows the first `n` items (clamped to 0..total). */
  seek(n: number, total: number): void {
    this.set({ cursor: Math.max(0, Math.min(total, n)) });
  }

  stepForward(total: number): void {
    const at = this.state.cursor ?? total;
    this.pause();
    this.seek(at + 1, total);
  }

  stepBack(total: number): void {
    const at = this.state.cursor ?? total;
    this.pause();
    this.seek(at - 1, total);
  }

  /** Follow the live run again: show everything. */
  live(): void {
    this.stopTimer();
    this.set({ cursor: null, playing: false });
  }

  setSpeed(speed: ReplaySpeed): void {
    this.set({ speed });
  }

  /** Plays from the cursor (from the start when at the end) through items at the given times. */
  play(times: readonly number[]): void {
    this.times = times;
    const total = times.length;
    const at = this.state.cursor === null || this.state.cursor >= total ? 0 : this.state.cursor;
    this.set({ cursor: at, playing: true });
    this.schedule();
  }

  pause(): void {
    this.stopTimer();
    if (this.state.playing) this.set({ playing: false });
  }

  private schedule(): void {
    this.stopTimer();
    const cursor = this.state.cursor ?? 0;
    if (cursor >= this.times.length) {
      this.set({ playing: false });
      return;
    }
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (!this.state.playing) return;
        this.set({ cursor: cursor + 1 });
        this.schedule();
      },
      replayDelayMs(this.times, cursor, this.state.speed),
    );
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** One replay for the handshake views of the page. */
export const handshakeReplay = new ReplayStore();

export function useReplay(): ReplayState {
  return useSyncExternalStore(handshakeReplay.subscribe, handshakeReplay.getSnapshot);
}
