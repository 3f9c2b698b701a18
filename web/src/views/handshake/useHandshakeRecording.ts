// The handshake views' common input: the demo's recordings (folded from events) and the one the replay shows.
import { useMemo } from 'react';
import { isSnippetDemo } from '@core/protocol/bridge';
import { isGoRunDemo } from '@core/protocol/demos/goRun';
import { HANDSHAKE_DEMO } from '@core/protocol/demos/handshake';
import { HTTP_DEMO } from '@core/protocol/demos/http';
import { useEventFold } from '../../store/useEventFold';
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

const LIVE: ReplayState = { run: null, cursor: null, playing: false, speed: 'even', imported: null };

export function useHandshakeRecording(demos: readonly string[], maxHz = 20): SelectedRecording {
  const demo = demos.includes(HANDSHAKE_DEMO) ? HANDSHAKE_DEMO : (demos[0] ?? HANDSHAKE_DEMO);
  // A snippet run's or a Go program's sockets make one live recording, and so do the HTTP demo's connections
  // (lessons 23–25: no scenario runs, just requests); the handshake replay's position is not theirs.
  const session = isSnippetDemo(demo) || isGoRunDemo(demo) || demo === HTTP_DEMO;
  const fold = useMemo(() => handshakeRecordingsFold(demo, { session }), [demo, session]);
  const state = useEventFold(fold, maxHz);
  const lessonReplay = useReplay();
  const replay = session ? LIVE : lessonReplay;
  let recording: Recording | null;
  if (replay.run === IMPORTED_RUN) recording = replay.imported;
  else {
    const run = replay.run ?? state.order.at(-1);
    recording = run === undefined ? null : (state.runs.get(run) ?? null);
  }
  const total = recording?.items.length ?? 0;
  const shown = replay.cursor === null ? total : Math.min(replay.cursor, total);
  return { demo, state, replay, recording, shown };
}
