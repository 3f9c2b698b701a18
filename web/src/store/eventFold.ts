// Incremental views of the store: a fold keeps its own state and steps through only the events it has not seen.
import type { LabEvent } from '@core/protocol/events';
import type { EventStore } from './eventStore';

/** A pure, incremental reducer over events. step() may mutate the state it is given. */
export interface Fold<S> {
  init(): S;
  step(state: S, event: LabEvent): void;
}

export class FoldCursor<S> {
  state: S;
  private pos: number;
  /** Events that left the ring before this fold saw them. */
  missed = 0;
  /** Events applied so far: tells a view whether the state moved since it last rendered. */
  applied = 0;

  constructor(
    private readonly fold: Fold<S>,
    private readonly store: EventStore,
    fromPos = store.start,
  ) {
    this.state = fold.init();
    this.pos = fromPos;
  }

  /** Steps through new events; returns how many were applied. */
  catchUp(): number {
    const { store } = this;
    if (this.pos < store.start) {
      this.missed += store.start - this.pos;
      this.pos = store.start;
    }
    const end = store.end;
    for (let p = this.pos; p < end; p++) this.fold.step(this.state, store.at(p)!);
    const applied = end - this.pos;
    this.pos = end;
    this.applied += applied;
    return applied;
  }
}
