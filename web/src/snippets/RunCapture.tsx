// A snippet run's packets and TCP states: the lesson views' flow graph and state diagram over the run's own bridged
// sockets (the lab server captures and polls each bridge session's sockets), with why capture is off when it is.
import { lazy, Suspense, useMemo, useState } from 'react';
import type { Lesson } from '@core/protocol/lessons';
import { useLab } from '../app/labContext';
import { CaptureBanner } from '../views/handshake/CaptureBanner';
import { SourceBadge } from '../views/common/SourceBadge';
import { useHandshakeRecording } from '../views/handshake/useHandshakeRecording';
import { SNIPPET_TEXT, type SnippetTextKey } from './snippetText';

const FlowGraph = lazy(() => import('../views/handshake/FlowGraph'));
const TcpStateMachine = lazy(() => import('../views/handshake/TcpStateMachine'));

export default function RunCapture({ lesson, demo }: { lesson: Lesson; demo: string }) {
  const { language } = useLab();
  const t = (k: SnippetTextKey) => SNIPPET_TEXT[k][language];
  const { state, recording } = useHandshakeRecording([demo], 8);
  const [open, setOpen] = useState(false);
  const version = recording?.version ?? 0;
  const counts = useMemo(() => {
    let segments = 0;
    let polled = 0;
    for (const item of recording?.items ?? []) {
      if (item.type === 'segment') segments++;
      else if (item.type === 'polled') polled++;
    }
    return { segments, polled };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [recording, version]);
  const demos = useMemo(() => [demo], [demo]);
  const capturing = state.capture.status === 'capturing' || state.capture.status === 'stopped';
  return (
    <details
      className="snippet-capture"
      data-testid="run-capture"
      data-segments={counts.segments}
      data-polled={counts.polled}
      data-capture={state.capture.status}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>
        {t('packets')}:{' '}
        {recording ? (
          <>
            {capturing ? `${counts.segments} ${t('segmentsCaptured')}` : `${counts.polled} ${t('statesPolled')}`} ·{' '}
            {recording.clients.length} {t(recording.clients.length === 1 ? 'connectionShown' : 'connectionsShown')}{' '}
            <SourceBadge source={capturing ? 'captured' : 'polled'} />
          </>
        ) : (
          <span className="muted">{t('noCaptureYet')}</span>
        )}
      </summary>
      {open && (
        <div className="snippet-capture-body">
          {/* The run's own record: its poller stopping when the run ends does not make the socket table unreadable. */}
          <CaptureBanner capture={state.capture} polling={recording ? recording.polling : state.polling} />
          {state.limit && (
            <p className="hs-capture off" role="status" data-testid="capture-limit">
              {state.limit.message[language]} <span className="muted">({state.limit.detail})</span>
            </p>
          )}
          <Suspense fallback={<p className="muted">…</p>}>
            <FlowGraph lesson={lesson} demos={demos} />
            <TcpStateMachine lesson={lesson} demos={demos} />
          </Suspense>
        </div>
      )}
    </details>
  );
}
