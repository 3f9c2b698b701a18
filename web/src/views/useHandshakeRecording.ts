// The handshake views' common input: the demo's recordings (folded from events) and the one the replay shows.
import { useMemo } from 'react';
import { HANDSHAKE_DEMO } from '@protocol/demos/handshake';
import { useEventFold } from '../store/useEventFold';
import { handshakeRecordingsFold, type HandshakeRecordings, type Recording } from './handshakeRecording';
import { IMPORTED_RUN, useReplay, type ReplayState } from './handshakeReplay';

export interface SelectedRecording {
  demo: string;
  state: HandshakeRecordings;
  replay: ReplayState;
  recording: Recording | null;
  /** Items shown at the replay position. */
  shown: number;
}

export function useHandshakeRecording(demos: readonly string[], maxHz = 20): SelectedRecording {
  const demo = demos.includes(HANDSHAKE_DEMO) ? HANDSHAKE_DEMO : (demos[0] ?? HANDSHAKE_DEMO);
  const fold = useMemo(() => handshakeRecordingsFold(demo), [demo]);
  const state = useEventFold(fold, maxHz);
  const replay = useReplay();
  let recording: Recording | null = null;
  if (replay.run === IMPORTED_RUN) recording = replay.imported;
  else {
    const run = replay.run ?? state.order.at(-1);
    recording = run === undefined ? null : (state.runs.get(run) ?? null);
  }
  const total = recording?.items.length ?? 0;
  const shown = replay.cursor === null ? total : Math.min(replay.cursor, total);
  return { demo, state, replay, recording, shown };
}
