// The demo kit's lifecycle: events in order, statistics only while running, clients closed, stop safe twice.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabEventBody } from '../../core/protocol/events.js';
import { DemoLifecycle } from './demoLifecycle.js';

afterEach(() => {
  vi.useRealTimers();
});

function kit(publishOnStop: boolean) {
  const events: LabEventBody[] = [];
  let published = 0;
  let clientsClosed = 0;
  const life = new DemoLifecycle({
    stats: { intervalMs: 100, publish: () => published++, publishOnStop },
    clients: { closeAll: () => clientsClosed++ },
  });
  life.begin({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
  return { life, events, counts: () => ({ published, clientsClosed }) };
}

describe('DemoLifecycle', () => {
  it('announces listeners, starts, publishes statistics on its timer, and stops once', async () => {
    vi.useFakeTimers();
    const { life, events, counts } = kit(true);
    life.listening('echo', 4242);
    life.started();
    vi.advanceTimersByTime(350);
    expect(counts().published).toBe(3);
    let servers = 1;
    const closeServers = async () => servers-- > 0;
    await life.stop(closeServers);
    await life.stop(closeServers);
    // A last batch on stop, then none: the timer is gone.
    vi.advanceTimersByTime(1000);
    expect(counts()).toEqual({ published: 4, clientsClosed: 2 });
    expect(events.map((e) => e.kind)).toEqual(['socket.listen', 'demo.started', 'demo.stopped']);
    expect(events[0]).toMatchObject({ listener: 'echo', local: { host: '127.0.0.1', port: 4242 } });
  });

  it('sends no last statistics when not asked to, and no demo.stopped when nothing was running', async () => {
    const { life, events, counts } = kit(false);
    await life.stop(async () => false);
    life.started();
    await life.stop(async () => true);
    expect(counts().published).toBe(0);
    expect(events.map((e) => e.kind)).toEqual(['demo.started', 'demo.stopped']);
  });
});
