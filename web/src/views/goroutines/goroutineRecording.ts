// Goroutine run recordings: the JSON the timeline exports ({format, version, events}), or JSON lines of events as
// the headless twin prints them. Parsing checks the shape of every event it keeps.
import type { LabEvent } from '@core/protocol/events';

export const RECORDING_FORMAT = 'gonet-lab-goroutines';

function isEvent(x: unknown): x is LabEvent {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return typeof e.kind === 'string' && typeof e.t === 'number' && Number.isFinite(e.t);
}

/** The events of a recording, oldest first. Throws with a reason when the text is neither shape. */
export function parseRecording(text: string): LabEvent[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error('the file is empty');
  let events: unknown[];
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    const doc = JSON.parse(trimmed) as { format?: unknown; events?: unknown };
    if (doc.format !== RECORDING_FORMAT || !Array.isArray(doc.events))
      throw new Error(`not a ${RECORDING_FORMAT} recording`);
    events = doc.events;
  } else {
    events = trimmed
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l, i) => {
        try {
          return JSON.parse(l) as unknown;
        } catch {
          throw new Error(`line ${i + 1} is not JSON`);
        }
      });
  }
  const kept = events.filter(isEvent);
  if (kept.length === 0) throw new Error('no events in it');
  return kept.filter((e) => e.kind.startsWith('go.'));
}
