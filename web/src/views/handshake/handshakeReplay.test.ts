import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { replayDelayMs, ReplayStore } from './handshakeReplay';

describe('replayDelayMs', () => {
  it('spaces items evenly, or by their real gaps slowed down and clamped', () => {
    const times = [0, 0.02, 0.05, 150, 150.01];
    expect(replayDelayMs(times, 1, 'even')).toBe(600);
    expect(replayDelayMs(times, 1, 1000)).toBe(40); // 20 µs × 1000 = 20 ms, raised to the 40 ms floor
    expect(replayDelayMs(times, 3, 10)).toBe(1499.5);
    expect(replayDelayMs(times, 3, 1000)).toBe(2000);
    expect(replayDelayMs(times, 0, 1000)).toBe(600);
  });
});

describe('ReplayStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('steps back and forward within the recording and pauses when stepping', () => {
    const store = new ReplayStore();
    store.stepBack(5);
    expect(store.getSnapshot().cursor).toBe(4);
    store.stepForward(5);
    store.stepForward(5);
    expect(store.getSnapshot().cursor).toBe(5);
    store.seek(-3, 5);
    expect(store.getSnapshot().cursor).toBe(0);
    store.live();
    expect(store.getSnapshot().cursor).toBeNull();
  });

  it('plays from the start to the end at the chosen pace, and tells its listeners', () => {
    const store = new ReplayStore();
    const seen: (number | null)[] = [];
    store.subscribe(() => seen.push(store.getSnapshot().cursor));
    store.play([0, 1, 2]);
    expect(store.getSnapshot()).toMatchObject({ cursor: 0, playing: true });
    vi.advanceTimersByTime(600);
    expect(store.getSnapshot().cursor).toBe(1);
    store.pause();
    vi.advanceTimersByTime(5000);
    expect(store.getSnapshot()).toMatchObject({ cursor: 1, playing: false });
    store.play([0, 1, 2]);
    vi.advanceTimersByTime(1300);
    expect(store.getSnapshot()).toMatchObject({ cursor: 3, playing: false });
    expect(seen.at(-1)).toBe(3);
  });
});
