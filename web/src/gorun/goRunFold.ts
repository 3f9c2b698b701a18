// Folds the events of one Go run (its demo id, `gorun-<runId>`) into the run's state and its console. Pure.
import type { LabEvent } from '@core/protocol/events';
import type { GoRunEvent } from '@core/protocol/events/goRun';
import type { Fold } from '../store/eventFold';
import { GoOutputBuffer } from './goOutputBuffer';
import { goRunStep, IDLE_RUN, type GoRunState } from './goRunModel';

export interface GoRunView {
  run: GoRunState;
  output: GoOutputBuffer;
}

function isGoRunEvent(e: LabEvent): e is LabEvent & GoRunEvent {
  return e.kind.startsWith('gorun.');
}

/** The fold of a run the page started: asked, with its id, and then whatever its events say. */
export function goRunFold(demo: string, runId: string): Fold<GoRunView> {
  return {
    init: () => ({
      run: goRunStep(goRunStep(IDLE_RUN, { type: 'ask' }), { type: 'accepted', run: runId }),
      output: new GoOutputBuffer(),
    }),
    step(state, e) {
      if (e.demo !== demo || !isGoRunEvent(e)) return;
      state.run = goRunStep(state.run, { type: 'event', event: e, t: e.t });
      if (e.kind === 'gorun.output') state.output.append(e.stream, e.text);
      else if (e.kind === 'gorun.end') state.output.finish();
    },
  };
}
