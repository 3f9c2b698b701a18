// A lesson's runnable code: the Go program beside its TypeScript twin, which the student edits and runs in the
// browser (Run, Stop, Reset; for exercises Check and Solve), with the console, the checks and the run's sockets.
import { lazy, Suspense, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { lessonFileText, type Lesson } from '@core/protocol/lessons';
import { BRIDGE_PATH } from '@core/protocol/bridge';
import { ERROR_MESSAGES } from '@core/protocol/errors';
import { useLab, useLabConnection } from '../app/labContext';
import { useEventFold } from '../store/useEventFold';
import type { SnippetConfig } from './snippetConfig';
import { INITIAL_SNAPSHOT, SnippetSession, type SessionSnapshot } from './snippetSession';
import {
  announceRun,
  loadEdit,
  loadProgress,
  markRevealed,
  recordProgress,
  saveEdit,
  type ExerciseProgress,
} from './snippetStorage';
import { SNIPPET_TEXT, type SnippetTextKey } from './snippetText';
import { runSocketsFold } from './runSocketsModel';
import { feedRunEvents } from './runEventFeed';
import { setSnippetRunDemo } from '../views/goroutines/goroutineDemoPin';
import type { EditorMarker } from './SnippetEditor';
import { CheckList } from './CheckList';
import './snippets.css';

const SnippetEditor = lazy(() => import('./SnippetEditor'));
const CodeViewer = lazy(() => import('../editor/CodeViewer'));
const RunCapture = lazy(() => import('./RunCapture'));

function bridgeUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${BRIDGE_PATH}`;
}

export default function SnippetWorkbench({
  lesson,
  config,
  theme,
}: {
  lesson: Lesson;
  config: SnippetConfig;
  theme: 'dark' | 'light';
}) {
  const { socket, language, store } = useLab();
  const { status } = useLabConnection();
  const t = (k: SnippetTextKey) => SNIPPET_TEXT[k][language];
  const slug = lesson.slug;
  const file = config.file.name;

  const [session, setSession] = useState<SnippetSession | null>(null);
  // The session reads the student's current language when it formats a message, not the one at creation.
  const langRef = useRef(language);
  useLayoutEffect(() => {
    langRef.current = language;
  });
  // A lesson with goroutine views shows the student's run there too (see runEventForwarder).
  const showsGoroutines = lesson.views.some((v) => v === 'goroutine-timeline' || v === 'goroutine-dump');
  useEffect(() => {
    const onRunEvents = showsGoroutines
      ? (events: Parameters<typeof feedRunEvents>[1]) => feedRunEvents(store, events)
      : undefined;
    const s = new SnippetSession({
      bridgeUrl: bridgeUrl(),
      language: () => langRef.current,
      ...(onRunEvents ? { onRunEvents } : {}),
    });
    setSession(s);
    return () => {
      s.dispose();
      setSnippetRunDemo(null);
    };
  }, [langRef, showsGoroutines, store]);

  const [code, setCode] = useState(() => loadEdit(slug, file) ?? config.file.text);
  const [tab, setTab] = useState<string>(file);
  const [split, setSplit] = useState(false);
  const [progress, setProgress] = useState<ExerciseProgress | null>(() => loadProgress(slug));
  // True while the editor holds what Solve put there, untouched: passing with it is not solving.
  const fromSolve = useRef(false);
  const snap = useSyncExternalStore(session?.subscribe ?? noSubscribe, session?.getSnapshot ?? emptySnapshot);

  // The page receives the running snippet's socket events alongside the lesson's demos.
  useEffect(() => {
    if (!snap.runDemo) return;
    socket.setDemos([...lesson.demos, snap.runDemo]);
    return () => socket.setDemos(lesson.demos);
  }, [snap.runDemo, socket, lesson.demos]);

  // Progress is recorded when a check run finishes.
  useEffect(() => {
    if (snap.phase !== 'finished' || snap.mode !== 'check' || !snap.outcome?.checks) return;
    const checks = snap.outcome.checks;
    setProgress(recordProgress(slug, checks.filter((c) => c.pass).length, checks.length, fromSolve.current));
    // Only when this outcome arrives: the phase, mode and slug belong to the same snapshot.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [snap.outcome]);

  // A finished run's output goes to whoever listens (in a class: the student's last run, which the instructor may show).
  useEffect(() => {
    if (snap.phase !== 'finished' || snap.mode !== 'run') return;
    announceRun(slug, snap.lines.map((l) => l.text).join('\n'));
    // Once per finished run (its outcome), not on every line the run printed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [snap.outcome, snap.endedBy]);

  const edit = (text: string) => {
    fromSolve.current = false;
    setCode(text);
    saveEdit(slug, file, text === config.file.text ? null : text);
  };
  const demos = (status?.demos ?? []).map((d) => ({ id: d.id, endpoints: d.endpoints }));
  const start = (mode: 'run' | 'check') => {
    if (!session) return;
    session.run(
      { mode, file, source: code, ...(config.checks ? { checks: config.checks.text } : {}) },
      demos,
      config.timeLimitMs,
    );
  };
  const reset = () => {
    if (code !== config.file.text && !confirm(t('resetConfirm'))) return;
    edit(config.file.text);
  };
  const solve = () => {
    if (!config.solution) return;
    if (code !== config.file.text && code !== config.solution.text && !confirm(t('solveConfirm'))) return;
    edit(config.solution.text);
    fromSolve.current = true;
    markRevealed(slug);
    setProgress(loadProgress(slug));
    setTab(file);
  };

  const marker = markerOf(snap, language);
  const running = snap.phase === 'running';
  const editor = (
    <Suspense
      fallback={
        <pre className="code-fallback" tabIndex={0}>
          {code}
        </pre>
      }
    >
      <SnippetEditor
        slug={slug}
        file={file}
        value={code}
        theme={theme}
        marker={marker}
        onChange={edit}
        onRun={() => start('run')}
      />
    </Suspense>
  );
  const companion = config.companions.find((f) => f.name === tab) ?? config.companions[0];
  const viewer = (f: NonNullable<typeof companion>) => (
    <Suspense
      fallback={
        <pre className="code-fallback" tabIndex={0}>
          {lessonFileText(f, language)}
        </pre>
      }
    >
      <CodeViewer
        text={lessonFileText(f, language)}
        language={f.language === 'text' ? 'plaintext' : f.language}
        theme={theme}
      />
    </Suspense>
  );

  return (
    <section
      className="panel code-pane snippet-workbench"
      data-testid="snippet-workbench"
      data-file={file}
      aria-label={lesson.title[language]}
    >
      <div className="tabs">
        <div className="tab-list" role="tablist">
          {!split &&
            config.companions.map((f) => (
              <button
                key={f.name}
                type="button"
                role="tab"
                aria-selected={tab === f.name}
                onClick={() => setTab(f.name)}
              >
                {f.name}
              </button>
            ))}
          <button
            type="button"
            role="tab"
            aria-selected={split || tab === file}
            onClick={() => setTab(file)}
            data-testid="snippet-tab"
          >
            {file} <span className="muted">· {t('yourCode')}</span>
          </button>
        </div>
        <span className="spacer" />
        {config.companions.length > 0 && (
          <label className="toggle snippet-split">
            <input type="checkbox" checked={split} onChange={(e) => setSplit(e.target.checked)} /> {t('sideBySide')}
          </label>
        )}
      </div>
      <div className="snippet-toolbar">
        <button
          type="button"
          className="primary"
          onClick={() => start('run')}
          title={t('runTitle')}
          data-testid="snippet-run"
          disabled={!session}
        >
          ▶ {t('run')}
        </button>
        <button type="button" onClick={() => session?.stop()} disabled={!running} data-testid="snippet-stop">
          ■ {t('stop')}
        </button>
        <button type="button" onClick={reset} data-testid="snippet-reset">
          {t('reset')}
        </button>
        {config.isExercise && (
          <>
            <button
              type="button"
              className="primary"
              onClick={() => start('check')}
              data-testid="snippet-check"
              disabled={!session}
            >
              ✓ {t('check')}
            </button>
            <button type="button" onClick={solve} data-testid="snippet-solve">
              {t('solve')}
            </button>
          </>
        )}
        <span className="spacer" />
        <StatusLine snap={snap} language={language} />
        {config.isExercise && progress && (
          <span
            className={`badge ${progress.solved ? 'ok' : ''}`}
            data-testid="snippet-progress"
            data-solved={progress.solved}
          >
            {progress.solved ? `✓ ${t('solved')}` : `${t('progress')}: ${progress.passed}/${progress.total}`}
          </span>
        )}
      </div>
      <div
        className={split ? 'snippet-editors split' : 'snippet-editors'}
        data-testid="code-editor"
        data-file={split || tab === file ? file : tab}
        data-marker-line={marker?.position.line ?? ''}
        data-marker-column={marker?.position.column ?? ''}
      >
        {split && companion && <div className="snippet-editor">{viewer(companion)}</div>}
        <div className="snippet-editor">{split || tab === file || !companion ? editor : viewer(companion)}</div>
      </div>
      {config.isExercise && <ChecksPanel snap={snap} language={language} />}
      <ConsolePane snap={snap} language={language} onClear={() => session?.clearConsole()} />
      {snap.runDemo && <RunSockets demo={snap.runDemo} language={language} />}
      {snap.runDemo && (
        <Suspense fallback={null}>
          <RunCapture lesson={lesson} demo={snap.runDemo} />
        </Suspense>
      )}
    </section>
  );
}

const noSubscribe = () => () => {};
const emptySnapshot = () => INITIAL_SNAPSHOT;

/** The editor marker for a run: a compile error, a panic, or the first failing check that points into the code. */
function markerOf(snap: SessionSnapshot, language: 'en' | 'zh'): EditorMarker | null {
  const o = snap.outcome;
  if (!o) return null;
  if (o.position && o.status !== 'ok') return { position: o.position, message: o.report.split('\n')[0] ?? o.report };
  const failed = o.checks?.find((c) => !c.pass && c.position);
  if (failed?.position) return { position: failed.position, message: failed.message?.[language] ?? '' };
  return null;
}

function StatusLine({ snap, language }: { snap: SessionSnapshot; language: 'en' | 'zh' }) {
  const t = (k: SnippetTextKey) => SNIPPET_TEXT[k][language];
  let text: string;
  let tone = '';
  const o = snap.outcome;
  if (snap.phase === 'starting') text = t('connecting');
  else if (snap.phase === 'ready') text = t('ready');
  else if (snap.phase === 'running')
    text =
      snap.mode === 'check'
        ? `${t('checking')}${snap.runningCheck ? ` ${snap.runningCheck.name[language]}` : ''}`
        : t('running');
  else if (snap.endedBy) {
    text = ERROR_MESSAGES[snap.endedBy.code][language];
    tone = snap.endedBy.code === 'E_SNIPPET_STOPPED' ? 'warn' : 'err';
  } else if (!o) text = '';
  else if (o.status === 'compile') {
    text = `${t('compileError')}: ${o.report}`;
    tone = 'err';
  } else if (o.status === 'panic' || o.status === 'fatal') {
    text = t('panicked');
    tone = 'err';
  } else if (o.status === 'deadlock') {
    text = t('deadlocked');
    tone = 'err';
  } else if (o.status === 'nomain') {
    text = ERROR_MESSAGES.E_SNIPPET_NO_MAIN[language];
    tone = 'err';
  } else if (snap.mode === 'check' && o.checks) {
    const passed = o.checks.filter((c) => c.pass).length;
    text = `${t('checks')}: ${passed}/${o.checks.length} ${t('passed')}`;
    tone = passed === o.checks.length ? 'ok' : 'err';
  } else {
    text = `${t('exited')} · ${Math.round(snap.elapsedMs ?? 0)} ${t('ms')}`;
    tone = 'ok';
  }
  return (
    <span
      className={`snippet-status ${tone}`}
      data-testid="snippet-status"
      data-phase={snap.phase}
      data-runs={snap.runs}
      data-status={snap.endedBy?.code ?? o?.status ?? ''}
      role="status"
    >
      {snap.bridgeError ? `${snap.bridgeError.code}: ${snap.bridgeError.message[language]} · ` : ''}
      {text}
    </span>
  );
}

function ConsolePane({ snap, language, onClear }: { snap: SessionSnapshot; language: 'en' | 'zh'; onClear(): void }) {
  const t = (k: SnippetTextKey) => SNIPPET_TEXT[k][language];
  const o = snap.outcome;
  // What Go prints at the end (panic, deadlock, leaks) follows the program's own output.
  // A run ended by a limit or Stop already has its line from the session; its report would repeat it.
  const report =
    o &&
    !snap.endedBy &&
    o.status !== 'compile' &&
    o.report !== '' &&
    snap.mode !== 'check' &&
    (o.status !== 'ok' || o.leaks.length > 0)
      ? o.report
      : null;
  const compile =
    o?.status === 'compile' && o.position
      ? `${o.position.file}:${o.position.line}:${o.position.column}: ${o.report}`
      : null;
  return (
    <div className="snippet-console" data-testid="snippet-console">
      <div className="snippet-console-head">
        <span>{t('console')}</span>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={onClear}>
          {t('clear')}
        </button>
      </div>
      <pre className="snippet-console-body" role="log" tabIndex={0} aria-label={t('console')}>
        {snap.lines.map((l) => (
          <div key={l.id} className={`console-line ${l.stream}`} data-testid="console-line" data-stream={l.stream}>
            {l.text}
          </div>
        ))}
        {compile && (
          <div className="console-line stderr" data-testid="console-report">
            {compile}
          </div>
        )}
        {report && (
          <div className="console-line stderr" data-testid="console-report">
            {report}
          </div>
        )}
      </pre>
    </div>
  );
}

function ChecksPanel({ snap, language }: { snap: SessionSnapshot; language: 'en' | 'zh' }) {
  if (snap.mode !== 'check' && snap.checks.length === 0) return null;
  return <CheckList checks={snap.checks} running={snap.runningCheck?.name ?? null} language={language} />;
}

function RunSockets({ demo, language }: { demo: string; language: 'en' | 'zh' }) {
  const fold = useMemo(() => runSocketsFold(demo), [demo]);
  const state = useEventFold(fold, 8);
  const t = (k: SnippetTextKey) => SNIPPET_TEXT[k][language];
  const sockets = [...state.sockets.values()];
  const open = sockets.filter((s) => s.open).length;
  return (
    <details className="snippet-sockets" data-testid="run-sockets">
      <summary>
        {t('sockets')}: {sockets.length === 0 ? t('noSockets') : `${open} open / ${sockets.length}`}{' '}
        <span className="muted">({demo}, observed)</span>
      </summary>
      <ul>
        {sockets.slice(-20).map((s) => (
          <li key={s.conn} className={s.open ? 'open' : 'closed'}>
            <code>
              {s.local.port} → {s.remote.port}
            </code>{' '}
            {s.side} · in {s.bytesIn} B · out {s.bytesOut} B{s.open ? '' : ` · closed (${s.closeReason})`}
          </li>
        ))}
      </ul>
    </details>
  );
}
