// Forwarded batches into the page's store: the student's run becomes the page's snippet run and takes the
// goroutine views over; a new run replaces the previous one instead of mixing with it; a lab demo's run after it
// takes the views back.
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent, LabEventBody } from '@core/protocol/events';
import { EventStore } from '../store/eventStore';
import { FoldCursor } from '../store/eventFold';
import { followedDemos, setSnippetRunDemo, snippetRunDemo, withSnippetRun } from '../views/goroutines/goroutineDemoPin';
import { timelineFold } from '../views/goroutines/goroutineTimelineModel';
import { feedRunEvents } from './runEventFeed';

let seq = 0;
const at = (demo: string, body: LabEventBody): LabEvent =>
  ({ ...body, seq: ++seq, t: 1_700_000_000_000 + seq, demo }) as LabEvent;

function run(demo: string, goroutines: string[]): LabEvent[] {
  return [
    at(demo, { kind: 'go.runStart', source: 'observed', seed: 1, clock: 'real' }),
    ...goroutines.map((fn, i) =>
      at(demo, { kind: 'go.spawn', source: 'observed', gid: i + 1, parent: i === 0 ? 0 : 1, fn }),
    ),
    at(demo, { kind: 'go.runEnd', source: 'observed', status: 'ok' }),
  ];
}

/** What the timeline on a lesson with these demos shows, as the view computes it. */
function timeline(store: EventStore, lessonDemos: string[]) {
  const key = followedDemos(withSnippetRun(lessonDemos, snippetRunDemo()), null);
  const cursor = new FoldCursor(timelineFold(key === null ? null : key.split(',')), store);
  cursor.catchUp();
  return cursor.state;
}

afterEach(() => setSnippetRunDemo(null));

describe('feedRunEvents', () => {
  it("appends the run's events unchanged and makes its demo the page's snippet run", () => {
    const store = new EventStore(1000, () => {});
    const events = run('snippet-aaaaaa', ['main', 'producer']);
    feedRunEvents(store, events);
    expect(snippetRunDemo()).toBe('snippet-aaaaaa');
    expect(store.end).toBe(events.length);
    expect(store.at(1)).toBe(events[1]);
    const model = timeline(store, ['goroutines']);
    expect(model.demo).toBe('snippet-aaaaaa');
    expect(model.lanes.map((l) => l.fn)).toEqual(['main', 'producer']);
    feedRunEvents(store, []);
    expect(store.end).toBe(events.length);
  });

  it('a new run replaces the previous one; a later lab demo run takes the view back', () => {
    const store = new EventStore(1000, () => {});
    store.append(run('goroutines', ['main', 'a', 'b', 'c']));
    expect(timeline(store, ['goroutines']).demo).toBe('goroutines');

    feedRunEvents(store, run('snippet-aaaaaa', ['main', 'producer']));
    const second = run('snippet-bbbbbb', ['main']);
    // The worker of the first run was already gone: a late batch of it must not mix into the second.
    feedRunEvents(store, second.slice(0, 2));
    store.append([at('snippet-aaaaaa', { kind: 'go.spawn', source: 'observed', gid: 9, parent: 1, fn: 'late' })]);
    feedRunEvents(store, second.slice(2));
    const model = timeline(store, ['goroutines']);
    expect(model.demo).toBe('snippet-bbbbbb');
    expect(model.lanes.map((l) => l.fn)).toEqual(['main']);

    store.append(run('goroutines', ['main', 'x']));
    expect(timeline(store, ['goroutines']).lanes.map((l) => l.fn)).toEqual(['main', 'x']);
  });

  it('the lesson leaving the page forgets the snippet run', () => {
    const store = new EventStore(1000, () => {});
    store.append(run('goroutines', ['main', 'a']));
    feedRunEvents(store, run('snippet-aaaaaa', ['main', 'mine']));
    expect(timeline(store, ['goroutines']).demo).toBe('snippet-aaaaaa');
    setSnippetRunDemo(null);
    expect(timeline(store, ['goroutines']).demo).toBe('goroutines');
  });
});
