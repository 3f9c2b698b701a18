// Lesson 4's control panel: run a scenario on real connections, see whether packets can be captured (and how to
// enable it), pick a recording, replay it (pause, step, speed) and export it as JSON or a mermaid diagram.
import { useEffect, useState, type ChangeEvent } from 'react';
import {
  HANDSHAKE_DEMO,
  HANDSHAKE_SCENARIOS,
  HandshakeRunArgs,
  type HandshakeScenario,
  type HandshakeStatus,
} from '@core/protocol/demos/handshake';
import { useLab, useText } from '../../app/labContext';
import { HANDSHAKE_UI, type HandshakeUiKey } from '../../i18n/handshakeText';
import { exportRecording, importRecording, type CaptureState, type Recording } from './handshakeRecording';
import { handshakeReplay, IMPORTED_RUN, REPLAY_SPEEDS, type ReplaySpeed } from './handshakeReplay';
import { recordingToMermaid } from './recordingExport';
import { CaptureBanner } from './CaptureBanner';
import { SourceBadge } from '../common/SourceBadge';
import { clampToLimits, fieldLimits, schemaDefaults } from '../common/schemaKnobs';
import { useDemoCommand } from '../common/useDemoCommand';
import { useHandshakeRecording } from './useHandshakeRecording';
import type { ViewProps } from '../viewRegistry';
import './handshake.css';

const SPEED_KEY: Record<string, HandshakeUiKey> = {
  even: 'speedEven',
  1000: 'speed1000',
  100: 'speed100',
  10: 'speed10',
  1: 'speed1',
};

const RUN_DEFAULTS = schemaDefaults(HandshakeRunArgs.partial({ scenario: true }));
const RUN_LIMITS = fieldLimits(HandshakeRunArgs, ['stepDelayMs', 'clients']);

export default function HandshakeScenarios({ demos }: ViewProps) {
  const { demo, state, replay, recording, shown } = useHandshakeRecording(demos);
  const { socket } = useLab();
  const t = useText(HANDSHAKE_UI);
  const [busy, setBusy] = useState<HandshakeScenario | null>(null);
  const handshake = useDemoCommand(HANDSHAKE_DEMO);
  /** Why the last recording file could not be opened. */
  const [importError, setImportError] = useState<string | null>(null);
  const error = handshake.error ?? (importError === null ? null : `${t('importFailed')}: ${importError}`);
  const [stepDelayMs, setStepDelayMs] = useState(RUN_DEFAULTS.stepDelayMs);
  const [clients, setClients] = useState(RUN_DEFAULTS.clients);
  const [status, setStatus] = useState<HandshakeStatus | null>(null);
  const [copied, setCopied] = useState(false);

  const refreshStatus = () =>
    socket.command(HANDSHAKE_DEMO, 'status').then(setStatus, () => {
      /* the demo may not be running; the capture banner says what it knows */
    });
  useEffect(() => {
    void refreshStatus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [demo, socket]);

  const run = async (scenario: HandshakeScenario) => {
    setBusy(scenario);
    handshakeReplay.select(null); // follow the new run live
    await handshake.run('run', { scenario, stepDelayMs, clients });
    setBusy(null);
    void refreshStatus();
  };

  const closeLeaked = async () => {
    await handshake.run('closeLeaked');
    void refreshStatus();
  };

  const capture: CaptureState =
    state.capture.status !== 'unknown'
      ? state.capture
      : status
        ? { status: status.capture.status, info: status.capture }
        : state.capture;
  const total = recording?.items.length ?? 0;
  const times = recording?.items.map((i) => i.at) ?? [];

  const download = () => {
    if (!recording) return;
    const blob = new Blob([JSON.stringify(exportRecording(recording), null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `handshake-${recording.scenario}-${recording.run}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  const copyMermaid = async () => {
    if (!recording) return;
    const text = recordingToMermaid(recording);
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard (insecure context): show it instead.
      window.prompt('mermaid', text);
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  const openFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    try {
      handshakeReplay.showImported(importRecording(JSON.parse(await file.text()), IMPORTED_RUN));
      setImportError(null);
    } catch (err) {
      setImportError((err as Error).message);
    }
  };

  return (
    <section className="panel handshake-scenarios" data-testid="handshake-scenarios">
      <header className="panel-head">
        <h3>{t('scenariosTitle')}</h3>
        <SourceBadge source="observed" />
      </header>

      <CaptureBanner capture={capture} polling={status?.polling ?? state.polling} />

      <div className="hs-scenarios" role="group" aria-label={t('scenariosTitle')}>
        {HANDSHAKE_SCENARIOS.map((s) => (
          <button
            key={s}
            type="button"
            className={busy === s ? 'primary' : ''}
            disabled={busy !== null}
            data-testid={`scenario-${s}`}
            onClick={() => void run(s)}
          >
            {busy === s ? t('running') : t(`scenario-${s}`)}
          </button>
        ))}
      </div>
      <div className="hs-knobs">
        <label>
          {t('stepDelay')}
          <input
            type="number"
            min={RUN_LIMITS.stepDelayMs.min}
            max={RUN_LIMITS.stepDelayMs.max}
            step={50}
            value={stepDelayMs}
            onChange={(e) => setStepDelayMs(clampToLimits(e.target.value, RUN_LIMITS.stepDelayMs))}
          />
        </label>
        <label>
          {t('clients')}
          <input
            type="number"
            min={RUN_LIMITS.clients.min}
            max={RUN_LIMITS.clients.max}
            value={clients}
            onChange={(e) => setClients(clampToLimits(e.target.value, RUN_LIMITS.clients))}
          />
        </label>
        {status && status.leaked > 0 && (
          <span className="hs-leaked" data-testid="leaked">
            <strong>{status.leaked}</strong> {t('leaked')}{' '}
            <button type="button" onClick={() => void closeLeaked()} data-testid="close-leaked">
              {t('closeLeaked')}
            </button>
          </span>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      <div className="hs-recordings">
        <label>
          {t('recordings')}{' '}
          <select
            data-testid="recording-select"
            value={replay.run === null ? '' : String(replay.run)}
            onChange={(e) => handshakeReplay.select(e.target.value === '' ? null : Number(e.target.value))}
          >
            <option value="">{t('live')}</option>
            {replay.imported && <option value={String(IMPORTED_RUN)}>{t('scenario-imported')}</option>}
            {[...state.order].reverse().map((run) => {
              const rec = state.runs.get(run)!;
              return (
                <option key={run} value={String(run)}>
                  #{run} {t(`scenario-${rec.scenario}`)}
                </option>
              );
            })}
          </select>
        </label>
        <label className="hs-file">
          {t('importJson')}
          <input type="file" accept="application/json,.json" onChange={(e) => void openFile(e)} />
        </label>
      </div>

      {recording ? (
        <>
          <div className="hs-replay" role="group" aria-label="replay">
            <button
              type="button"
              onClick={() => handshakeReplay.stepBack(total)}
              title={t('stepBack')}
              aria-label={t('stepBack')}
              data-testid="replay-back"
            >
              ◀
            </button>
            {replay.playing ? (
              <button
                type="button"
                className="primary"
                onClick={() => handshakeReplay.pause()}
                data-testid="replay-pause"
              >
                ❚❚ {t('pause')}
              </button>
            ) : (
              <button
                type="button"
                className="primary"
                onClick={() => handshakeReplay.play(times)}
                data-testid="replay-play"
              >
                ▶ {t('play')}
              </button>
            )}
            <button
              type="button"
              onClick={() => handshakeReplay.stepForward(total)}
              title={t('stepForward')}
              aria-label={t('stepForward')}
              data-testid="replay-forward"
            >
              ▶|
            </button>
            <input
              type="range"
              min={0}
              max={total}
              value={shown}
              aria-label={t('item')}
              onChange={(e) => {
                handshakeReplay.pause();
                handshakeReplay.seek(Number(e.target.value), total);
              }}
            />
            <span className="hs-position" data-testid="replay-position">
              {shown} / {total}
            </span>
            <button
              type="button"
              className="ghost"
              onClick={() => handshakeReplay.live()}
              disabled={replay.cursor === null}
            >
              {t('live')}
            </button>
            <label>
              {t('speed')}{' '}
              <select
                value={String(replay.speed)}
                onChange={(e) =>
                  handshakeReplay.setSpeed((e.target.value === 'even' ? 'even' : Number(e.target.value)) as ReplaySpeed)
                }
              >
                {REPLAY_SPEEDS.map((s) => (
                  <option key={String(s)} value={String(s)}>
                    {t(SPEED_KEY[String(s)]!)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="hs-export">
            <button type="button" onClick={download} data-testid="export-json">
              {t('exportJson')}
            </button>
            <button type="button" onClick={() => void copyMermaid()} data-testid="export-mermaid">
              {copied ? t('copied') : t('exportMermaid')}
            </button>
          </div>
          <RunSummary recording={recording} />
        </>
      ) : (
        <p className="muted">{t('noRecording')}</p>
      )}
    </section>
  );
}

function RunSummary({ recording }: { recording: Recording }) {
  const t = useText(HANDSHAKE_UI);
  const s = recording.summary;
  if (!s) return null;
  return (
    <div className="hs-summary" data-testid="run-summary">
      <h4>
        {t('summary')} <SourceBadge source={s.segments > 0 ? 'captured' : 'polled'} />
      </h4>
      <ul>
        {s.segments > 0 && (
          <li>
            {s.segments} {t('segmentsCount')}
          </li>
        )}
        {s.handshakeNumbersMatch !== null && (
          <li data-testid="handshake-match">
            {s.handshakeNumbersMatch ? `✓ ${t('handshakeOk')}` : `✗ ${t('handshakeBad')}`}
          </li>
        )}
        {s.teardownSegments.length > 0 && (
          <li data-testid="teardown-count">
            {s.teardownSegments.join(', ')} {t('teardown')}
          </li>
        )}
        {s.resets > 0 && (
          <li>
            {s.resets} {t('resets')}
          </li>
        )}
        {s.timeWait.map((w) => (
          <li key={w.socket} data-testid="time-wait">
            <code>{w.socket}</code> {t('timeWaitNow')}{' '}
            {w.timerMs !== undefined ? `${(w.timerMs / 1000).toFixed(2)} s` : '?'} <SourceBadge source="polled" />
          </li>
        ))}
        {recording.timeWaits.map((w) => (
          <li key={`done-${w.socket}`} data-testid="time-wait-measured">
            <code>{w.socket}</code> {t('timeWaitLasted')} {(w.stayedMs.min / 1000).toFixed(2)}–
            {(w.stayedMs.max / 1000).toFixed(2)} s <SourceBadge source="polled" />
          </li>
        ))}
        {s.closeWait > 0 && (
          <li data-testid="close-wait-count">
            {s.closeWait} {t('closeWaitNow')} <SourceBadge source="polled" />
          </li>
        )}
      </ul>
    </div>
  );
}
