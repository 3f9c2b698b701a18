// The page's side of "your run on the goroutine timeline": a batch the snippet worker forwarded goes into the
// lab's event store beside the server's events (it is already stamped like them), and its demo id becomes the
// page's snippet run, which the goroutine views follow as one more demo.
import type { LabEvent } from '@core/protocol/events';
import type { EventStore } from '../store/eventStore';
import { setSnippetRunDemo } from '../views/goroutines/goroutineDemoPin';

export function feedRunEvents(store: EventStore, events: readonly LabEvent[]): void {
  const last = events[events.length - 1];
  if (last === undefined) return;
  setSnippetRunDemo(last.demo);
  store.append(events);
}
