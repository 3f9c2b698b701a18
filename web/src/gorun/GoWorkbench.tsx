// The Go tab: the student's own copy of the lesson's main.go in Monaco, run with the Go on the lab's machine (Run,
// Stop, Format, Reset), the run's state and streaming output, its port with an nc command, its connections in the
// lesson's views, and a panic or deadlock with the goroutine dump. Says plainly when there is no Go, or when this
// page may not run it; the editor works either way.
import { lazy, memo, Suspense, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { lessonFileText, type Lesson, type LessonFile } from '@core/protocol/lessons';
import { GO_INSTALL_PLATFORM_NAMES, type GoStatusResult } from '@core/protocol/demos/goRun';
import { ERROR_MESSAGES, type WireError } from '@core/protocol/errors';
import { isGoExercise, type GoExerciseReport } from '@core/protocol/goExercise';
import type { GoCompileError } from '@core/protocol/events/goRun';
import { useLab, useLabConnection } from '../app/labContext';
import { useEventFold } from '../store/useEventFold';
import { CommandError } from '../net/labSocket';
import { announceRun, loadEdit, saveEdit } from '../snippets/snippetStorage';
import { setSnippetRunDemo } from '../views/goroutines/goroutineDemoPin';
import { wireErrorText } from '../views/common/useDemoCommand';
import { SourceBadge } from '../views/common/SourceBadge';
import { CheckList } from '../snippets/CheckList';
import { compileMarkers } from './goCompileMarkers';
import { goRunFold, type GoRunView } from './goRunFold';
import { goRunStep, goRunVerdict, IDLE_RUN, isActive, type GoRunState } from './goRunModel';
import { GO_TAB_TEXT, type GoTabTextKey } from './goRunText';
import { GoOutputBuffer } from './goOutputBuffer';
import '../snippets/snippets.css';
import './gorun.css';

const GoEditor = lazy(() => import('./GoEditor'));
const RunCapture = lazy(() => import('../snippets/RunCapture'));
const EchoLanes = lazy(() => import('../views/echo/EchoLanes'));
const GoroutineDump = lazy(() => import('../views/goroutines/GoroutineDump'));

/** The key the editor's copy is kept under (the snippet storage's, so a class mirrors it too). */
export const GO_FILE = 'main.go';

type Request =
  | { kind: 'none' }
  | { kind: 'asking' }
  | { kind: 'refused'; error: WireError }
  | { kind: 'started'; runId: string; demo: string };

function toWireError(err: unknown): WireError {
  if (err instanceof CommandError) return err.error;
  return { code: 'E_INTERNAL', message: ERROR_MESSAGES.E_INTERNAL, detail: String(err) };
}

export default function GoWorkbench({
  lesson,
  file,
  theme,
}: {
  lesson: Lesson;
  file: LessonFile;
  theme: 'dark' | 'light';
}) {
  const { socket, language } = useLab();
  const { state: connection } = useLabConnection();
  const t = (k: GoTabTextKey) => GO_TAB_TEXT[k][language];
  const slug = lesson.slug;
  const lessonText = lessonFileText(file, language);

  // An exercise's Go tab holds the student's start.go, which Check sends to the lab to be checked.
  const exercise = isGoExercise(slug) && file.name !== GO_FILE;
  // The student's copy (kept under the file's name); untouched, it follows the lesson's version in the language.
  const [edited, setEdited] = useState<string | null>(() => loadEdit(slug, file.name));
  const code = edited ?? lessonText;
  const isLessonVersion = (text: string) => text === file.text || text === file.zhText;
  const edit = (text: string) => {
    const mine = isLessonVersion(text) ? null : text;
    setEdited(mine);
    saveEdit(slug, file.name, mine);
  };

  const [request, setRequest] = useState<Request>({ kind: 'none' });
  const [status, setStatus] = useState<GoStatusResult | null>(null);
  const [statusError, setStatusError] = useState<WireError | null>(null);
  useEffect(() => {
    if (connection !== 'open') return;
    let live = true;
    socket.command('go', 'status').then(
      (s) => {
        if (!live) return;
        setStatus(s);
        setStatusError(null);
        // A run of this page still going (the page reconnected): follow it.
        const active = s.activeRun;
        if (active)
          setRequest((r) => (r.kind === 'none' ? { kind: 'started', runId: active.runId, demo: active.demo } : r));
      },
      (err: unknown) => live && setStatusError(toWireError(err)),
    );
    return () => {
      live = false;
    };
  }, [socket, connection]);

  const [stopPressed, setStopPressed] = useState(false);
  const [formatErrors, setFormatErrors] = useState<GoCompileError[]>([]);
  const runDemo = request.kind === 'started' ? request.demo : '';
  const fold = useMemo(
    () => (request.kind === 'started' ? goRunFold(request.demo, request.runId) : EMPTY_FOLD),
    [request],
  );
  const folded = useEventFold(fold, 20);
  const run: GoRunState = useMemo(() => {
    if (request.kind === 'asking') return goRunStep(IDLE_RUN, { type: 'ask' });
    if (request.kind === 'refused')
      return goRunStep(goRunStep(IDLE_RUN, { type: 'ask' }), { type: 'refused', error: request.error });
    if (request.kind === 'none') return IDLE_RUN;
    return stopPressed ? goRunStep(folded.run, { type: 'stop' }) : folded.run;
    // The fold's state is mutated in place: its run object is replaced on every step, which this tracks.
  }, [request, stopPressed, folded.run]);
  const active = isActive(run);

  // The run's events and sockets reach this page; the goroutine views follow it as the student's run.
  useEffect(() => {
    if (!runDemo) return;
    socket.setExtraDemos('go-tab', [runDemo]);
    setSnippetRunDemo(runDemo);
  }, [socket, runDemo]);
  useEffect(
    () => () => {
      socket.setExtraDemos('go-tab', []);
    },
    [socket],
  );

  // A run still going when the student leaves the lesson is stopped.
  const live = useRef<{ runId: string | null }>({ runId: null });
  useLayoutEffect(() => {
    live.current.runId = active && request.kind === 'started' ? request.runId : null;
  });
  useEffect(() => {
    const current = live.current;
    return () => {
      if (current.runId) socket.command('go', 'stop', { runId: current.runId }).catch(() => {});
    };
  }, [socket]);

  // A finished run's output goes to whoever listens (in a class: the student's last run).
  const ended = run.phase === 'ended' && request.kind === 'started';
  useEffect(() => {
    if (ended) announceRun(slug, folded.output.text());
    // Once per ended run.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ended]);

  const mayRun = status ? status.mayRun : false;
  const start = useCallback(async () => {
    if (!mayRun || isActive(run)) return;
    setStopPressed(false);
    setFormatErrors([]);
    setRequest({ kind: 'asking' });
    try {
      const r = await socket.command('go', 'run', { lesson: slug, source: code });
      setRequest({ kind: 'started', runId: r.runId, demo: r.demo });
    } catch (err) {
      setRequest({ kind: 'refused', error: toWireError(err) });
    }
  }, [mayRun, run, socket, slug, code]);
  const stop = useCallback(() => {
    if (request.kind !== 'started' || !isActive(run)) return;
    setStopPressed(true);
    socket.command('go', 'stop', { runId: request.runId }).catch(() => {
      // The run ended meanwhile: its end event says how.
    });
  }, [request, run, socket]);
  const [formatting, setFormatting] = useState(false);
  const [formatFailure, setFormatFailure] = useState<WireError | null>(null);
  const format = useCallback(async () => {
    if (!status?.toolchain.found || formatting) return;
    setFormatting(true);
    setFormatFailure(null);
    try {
      const r = await socket.command('go', 'format', { source: code });
      setFormatErrors(r.errors);
      if (r.source !== null && r.source !== code) edit(r.source);
    } catch (err) {
      setFormatFailure(toWireError(err));
    } finally {
      setFormatting(false);
    }
    // edit only writes state and storage.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status, formatting, socket, code]);
  const [checking, setChecking] = useState(false);
  const [checkReport, setCheckReport] = useState<GoExerciseReport | null>(null);
  const [checkFailure, setCheckFailure] = useState<WireError | null>(null);
  const check = useCallback(async () => {
    if (!mayRun || checking || isActive(run)) return;
    setChecking(true);
    setCheckReport(null);
    setCheckFailure(null);
    try {
      setCheckReport(await socket.command('go', 'check', { lesson: slug, source: code }));
    } catch (err) {
      setCheckFailure(toWireError(err));
    } finally {
      setChecking(false);
    }
  }, [mayRun, checking, run, socket, slug, code]);
  const reset = () => {
    if (edited !== null && !confirm(t('resetConfirm'))) return;
    edit(lessonText);
    setFormatErrors([]);
  };

  const errors = formatErrors.length > 0 ? formatErrors : run.compileErrors;
  const markers = useMemo(() => compileMarkers(errors, GO_FILE, code, language), [errors, code, language]);

  // The tab re-renders as its run's events arrive (at most 20 times a second, whatever else the page receives):
  // the editor, the lanes and the dump are kept as the same elements unless their own inputs change, so they
  // render at their own pace (the lanes throttle themselves when crowded).
  const actions = useRef({ start, stop, format, edit });
  useLayoutEffect(() => {
    actions.current = { start, stop, format, edit };
  });
  const editor = useMemo(
    () => (
      <GoEditor
        slug={slug}
        value={code}
        theme={theme}
        markers={markers}
        onChange={(text) => actions.current.edit(text)}
        onRun={() => void actions.current.start()}
        onStop={() => actions.current.stop()}
        onFormat={() => void actions.current.format()}
      />
    ),
    [slug, code, theme, markers],
  );
  const listening = runDemo !== '' && run.port !== null;
  const connections = useMemo(
    () =>
      listening ? (
        <div className="go-connections" data-testid="go-connections">
          <h3 className="go-subhead">{GO_TAB_TEXT.connections[language]}</h3>
          <Suspense fallback={null}>
            <EchoLanes lesson={lesson} demos={[runDemo]} />
            <RunCapture lesson={lesson} demo={runDemo} />
          </Suspense>
        </div>
      ) : null,
    [listening, runDemo, lesson, language],
  );
  const crash = useMemo(
    () =>
      run.crash && runDemo ? (
        <div className="go-crash" data-testid="go-crash" data-crash={run.crash.crash}>
          <pre className="go-report error" role="alert">
            {GO_TAB_TEXT[run.crash.crash][language]}
            {`\n${run.crash.message}`}
          </pre>
          <Suspense fallback={null}>
            <GoroutineDump lesson={lesson} demos={[runDemo]} />
          </Suspense>
        </div>
      ) : null,
    [run.crash, runDemo, lesson, language],
  );

  return (
    <section
      className="panel code-pane go-workbench"
      data-testid="go-workbench"
      data-phase={run.phase}
      data-status={run.end?.status ?? run.refused?.code ?? ''}
      data-exit-code={run.end?.exitCode ?? ''}
      data-may-run={status ? String(status.mayRun) : ''}
      data-go={status ? (status.toolchain.found ? (status.toolchain.tooOld ? 'old' : 'found') : 'missing') : ''}
      aria-label={`${lesson.title[language]} · Go`}
    >
      <div className="snippet-toolbar">
        <button
          type="button"
          className="primary"
          onClick={() => void start()}
          title={t('runTitle')}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          data-testid="go-run"
          disabled={!mayRun || active}
        >
          ▶ {t('run')}
        </button>
        <button
          type="button"
          onClick={stop}
          title={t('stopTitle')}
          aria-keyshortcuts="Control+Shift+Enter Meta+Shift+Enter"
          disabled={!active || request.kind !== 'started'}
          data-testid="go-stop"
        >
          ■ {t('stop')}
        </button>
        {exercise && (
          <button
            type="button"
            onClick={() => void check()}
            title={t('checkTitle')}
            disabled={!mayRun || checking || active}
            data-testid="go-check"
          >
            ✓ {t('check')}
          </button>
        )}
        <button
          type="button"
          onClick={() => void format()}
          title={t('formatTitle')}
          aria-keyshortcuts="Shift+Alt+F"
          disabled={!status?.toolchain.found || formatting}
          data-testid="go-format"
        >
          {t('format')}
        </button>
        <button type="button" onClick={reset} data-testid="go-reset">
          {t('reset')}
        </button>
        <span className="spacer" />
        <GoRunStatus run={run} status={status} language={language} />
      </div>
      <GoAvailability status={status} statusError={statusError} language={language} />
      {exercise && (
        <GoCheckResults report={checkReport} failure={checkFailure} checking={checking} language={language} />
      )}
      {formatFailure && (
        <p className="error go-notice" role="alert" data-testid="go-format-error">
          {wireErrorText(formatFailure, language)}
        </p>
      )}
      <div
        className="snippet-editors"
        data-testid="code-editor"
        data-file={GO_FILE}
        data-marker-line={markers[0]?.line ?? ''}
        data-marker-column={markers[0]?.startColumn ?? ''}
        data-markers={markers.length}
      >
        <div className="snippet-editor">
          <Suspense
            fallback={
              <pre className="code-fallback" tabIndex={0}>
                {code}
              </pre>
            }
          >
            {editor}
          </Suspense>
        </div>
      </div>
      {markers.length > 0 && (
        <ul className="go-compile-errors" data-testid="go-compile-errors">
          {markers.map((m, i) => (
            <li key={i} data-testid="go-compile-error" data-line={m.line} data-column={m.startColumn}>
              <code>
                {GO_FILE}:{m.line}:{m.startColumn}
              </code>{' '}
              {m.message.split('\n\n').length > 1 ? (
                <>
                  {m.message.split('\n\n')[0]} <span className="muted">({m.compiler})</span>
                </>
              ) : (
                m.compiler
              )}
            </li>
          ))}
        </ul>
      )}
      {run.notices.map((n) => (
        <p key={n.code} className="warn-text go-notice" role="status" data-testid="go-notice" data-code={n.code}>
          {wireErrorText(n, language)}
        </p>
      ))}
      <GoPort run={run} language={language} />
      <GoConsole output={folded.output} version={folded.output.version} language={language} />
      {crash}
      {connections}
    </section>
  );
}

const EMPTY_FOLD = {
  init: (): GoRunView => ({ run: IDLE_RUN, output: new GoOutputBuffer() }),
  step: () => {},
};

function GoRunStatus({
  run,
  status,
  language,
}: {
  run: GoRunState;
  status: GoStatusResult | null;
  language: 'en' | 'zh';
}) {
  const t = (k: GoTabTextKey) => GO_TAB_TEXT[k][language];
  const v = goRunVerdict(run);
  // Elapsed time while it builds or runs, from when this page saw the phase begin (0 until the first tick).
  const [elapsed, setElapsed] = useState<{ phase: string; ms: number }>({ phase: '', ms: 0 });
  const ticking = run.phase === 'building' || run.phase === 'asked' || run.phase === 'running';
  useEffect(() => {
    if (!ticking) return;
    const at = performance.now();
    const phase = run.phase;
    const timer = setInterval(() => setElapsed({ phase, ms: performance.now() - at }), 200);
    return () => clearInterval(timer);
  }, [ticking, run.phase]);
  const seconds = ((elapsed.phase === run.phase ? elapsed.ms : 0) / 1000).toFixed(1);
  let text: string;
  switch (v.key) {
    case 'idle':
      text = status === null ? t('checking') : t('idle');
      break;
    case 'asked':
    case 'stopping':
      text = t(v.key);
      break;
    case 'building':
      text = `${t('building')}${run.goVersion ? ` (${run.goVersion})` : ''} · ${seconds} ${t('s')}`;
      break;
    case 'running':
      text = `${t('running')} · pid ${run.pid ?? '?'}${run.buildMs !== null ? ` · ${t('builtIn')} ${Math.round(run.buildMs)} ${t('ms')}` : ''}${run.sample ? ` · ${run.sample.total} ${t('goroutinesSampled')}` : ''}`;
      break;
    case 'exited':
      text = `${t('exited')} ${v.exitCode}`;
      break;
    case 'stopped':
      text = t('stopped');
      break;
    case 'compileError':
      text = `${t('compileError')} · ${v.count} ${t('errors')}`;
      break;
    case 'panic':
    case 'deadlock':
    case 'fatal':
      text = t(v.key);
      break;
    case 'limit':
    case 'failed':
    case 'refused':
      text = `${t(v.key)}${v.error ? `: ${wireErrorText(v.error, language)}` : ''}`;
      break;
  }
  return (
    <span className="go-status-line">
      {v.key === 'building' && <progress className="go-build-progress" aria-label={t('building')} />}
      <span
        className={`snippet-status go-status ${v.tone}`}
        data-testid="go-status"
        data-verdict={v.key}
        role="status"
        title={text}
      >
        {text}
      </span>
    </span>
  );
}

function GoAvailability({
  status,
  statusError,
  language,
}: {
  status: GoStatusResult | null;
  statusError: WireError | null;
  language: 'en' | 'zh';
}) {
  const t = (k: GoTabTextKey) => GO_TAB_TEXT[k][language];
  if (statusError)
    return (
      <p className="error go-notice" role="alert" data-testid="go-unavailable">
        {wireErrorText(statusError, language)}
      </p>
    );
  if (!status) return null;
  const tc = status.toolchain;
  if (!tc.found || tc.tooOld)
    return (
      <div className="go-notice go-missing" role="status" data-testid="go-missing">
        <p>
          <strong>
            {tc.found ? `${t('tooOld')} ${tc.version ?? '?'}; ${t('needs')} ${tc.needs} ${t('orNewer')}.` : t('noGo')}
          </strong>{' '}
          {t('installWith')}
        </p>
        <ul className="go-install">
          {tc.install.map((hint) => (
            <li key={hint.platform} data-testid="go-install" data-platform={hint.platform}>
              {GO_INSTALL_PLATFORM_NAMES[hint.platform][language]}: <code>{hint.command}</code>
            </li>
          ))}
        </ul>
        <p className="muted">{t('editStillWorks')}</p>
      </div>
    );
  if (!status.mayRun)
    return (
      <div className="go-notice" role="status" data-testid="go-not-allowed" data-code={status.refusal?.code ?? ''}>
        <p>
          <strong>{t('notAllowed')}</strong> {status.refusal ? wireErrorText(status.refusal, language) : ''}
        </p>
        <p className="muted">{t('editStillWorks')}</p>
      </div>
    );
  return null;
}

function GoPort({ run, language }: { run: GoRunState; language: 'en' | 'zh' }) {
  const t = (k: GoTabTextKey) => GO_TAB_TEXT[k][language];
  const [copied, setCopied] = useState(false);
  if (run.port === null || run.phase !== 'running') return null;
  // The address the program was given (-addr host:port), else loopback.
  const addr = run.args.find((a) => a.endsWith(`:${run.port}`));
  const host = addr ? addr.slice(0, addr.lastIndexOf(':')).replace(/^\[|\]$/g, '') : '127.0.0.1';
  const command = `nc ${host} ${run.port}`;
  const copy = () => {
    navigator.clipboard?.writeText(command).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <p className="go-port try-it" data-testid="go-port" data-port={run.port}>
      {t('listening')} <code>{`${host}:${run.port}`}</code> · {t('talkToIt')}{' '}
      <code data-testid="go-nc-command">{command}</code>{' '}
      <button type="button" className="ghost" onClick={copy} data-testid="go-copy-nc">
        {copied ? t('copied') : t('copy')}
      </button>{' '}
      {run.isolation && (
        <span className="muted" data-testid="go-isolation" data-kind={run.isolation.kind}>
          {t('isolation')} {run.isolation.user} · {run.isolation.kind === 'bwrap' ? t('sandboxed') : t('notSandboxed')}
        </span>
      )}
    </p>
  );
}

// Renders when its output changed (its version), not whenever the tab does.
const GoConsole = memo(function GoConsole({
  output,
  version,
  language,
}: {
  output: GoOutputBuffer;
  version: number;
  language: 'en' | 'zh';
}) {
  const t = (k: GoTabTextKey) => GO_TAB_TEXT[k][language];
  const body = useRef<HTMLPreElement>(null);
  // Follows new output until the student scrolls up; scrolling back to the bottom follows again.
  const [follow, setFollow] = useState(true);
  const [clearedAt, setClearedAt] = useState(0);
  const onScroll = () => {
    const el = body.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    if (atBottom !== follow) setFollow(atBottom);
  };
  useLayoutEffect(() => {
    const el = body.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [version, follow]);
  const lines = output.lines.filter((l) => l.id > clearedAt);
  return (
    <div className="snippet-console go-console" data-testid="go-console" data-follow={follow}>
      <div className="snippet-console-head">
        <span>{t('output')}</span>
        <SourceBadge source="observed" />
        <span className="spacer" />
        {!follow && (
          <button type="button" className="ghost" onClick={() => setFollow(true)} data-testid="go-follow">
            ↓ {t('follow')}
          </button>
        )}
        <button
          type="button"
          className="ghost"
          onClick={() => setClearedAt(output.lines[output.lines.length - 1]?.id ?? 0)}
        >
          {t('clear')}
        </button>
      </div>
      <pre
        ref={body}
        className="snippet-console-body"
        role="log"
        tabIndex={0}
        aria-label={t('output')}
        onScroll={onScroll}
        data-testid="go-output"
      >
        {output.droppedLines > 0 && (
          <div className="muted" data-testid="go-output-dropped">
            … {output.droppedLines.toLocaleString()} {t('droppedLines')}
          </div>
        )}
        {lines.length === 0 && output.droppedLines === 0 && <div className="muted">{t('noOutput')}</div>}
        {lines.map((l) => (
          <div key={l.id} className={`console-line ${l.stream}`} data-testid="go-output-line" data-stream={l.stream}>
            {l.text}
          </div>
        ))}
        {output.cutChars > 0 && (
          <div className="muted">
            {output.cutChars.toLocaleString()} {t('cutChars')}
          </div>
        )}
      </pre>
    </div>
  );
});

/** The Go exercise's per-check results (as the TypeScript checks'), or why the check could not run. */
function GoCheckResults({
  report,
  failure,
  checking,
  language,
}: {
  report: GoExerciseReport | null;
  failure: WireError | null;
  checking: boolean;
  language: 'en' | 'zh';
}) {
  if (checking)
    return (
      <p className="go-notice" role="status" data-testid="go-check-status">
        {GO_TAB_TEXT.checkingExercise[language]}
      </p>
    );
  const error = failure ?? report?.error ?? null;
  if (!report && !error) return null;
  const passed = report ? report.checks.filter((c) => c.pass).length : 0;
  return (
    <div className="go-check" data-testid="go-check-results" data-status={report?.status ?? 'refused'}>
      {error && (
        <p className="error go-notice" role="alert">
          {wireErrorText(error, language)}
        </p>
      )}
      {report && report.checks.length > 0 && (
        <>
          <p className="go-notice" role="status" data-testid="go-check-summary">
            {passed}/{report.checks.length} {GO_TAB_TEXT.checkSummary[language]} · {GO_TAB_TEXT.checkSeed[language]}{' '}
            {report.seed}
          </p>
          <CheckList checks={report.checks} language={language} testId="go-checks" />
        </>
      )}
    </div>
  );
}
