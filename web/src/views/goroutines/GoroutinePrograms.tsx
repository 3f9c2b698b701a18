// Runs the goroutines demo's programs from a lesson page: the lesson names its programs in the frontmatter
// (`programs: [unbuffered, buffered]`); each has knobs (count, capacity, work and timeout, mutex), and its printed
// output and final status (ok, deadlock, leaks, panic) show here while the timeline and dump show the goroutines.
import { useMemo, useState } from 'react';
import type { LocalizedText } from '@core/protocol/errors';
import type { LabEvent } from '@core/protocol/events';
import { GOROUTINE_PROGRAMS, GOROUTINES_DEMO, GoroutinesRunArgs, type GoroutineProgram, type GoroutinesRunResult } from '@core/protocol/demos/goroutines';
import { useLab, useText } from '../../app/labContext';
import { GOROUTINE_UI } from '../../i18n/goroutineText';
import { useVersionedFold } from './useVersionedFold';
import { SourceBadge } from '../common/SourceBadge';
import { clampToLimits, fieldLimits } from '../common/schemaKnobs';
import { useDemoCommand } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';
import './goroutineTimeline.css';

type Knob = 'n' | 'capacity' | 'workMs' | 'timeoutMs' | 'useMutex';

interface ProgramInfo {
  title: LocalizedText;
  knobs: Partial<Record<Knob, number | boolean>>;
}

const PROGRAMS: Record<GoroutineProgram, ProgramInfo> = {
  spawn: { title: { en: 'Start N goroutines', zh: '启动 N 个 goroutine' }, knobs: { n: 100, workMs: 50 } },
  'sequential-vs-concurrent': { title: { en: 'Sequential vs concurrent', zh: '顺序执行与并发执行' }, knobs: { n: 5, workMs: 40 } },
  unbuffered: { title: { en: 'Unbuffered channel', zh: '无缓冲通道' }, knobs: { n: 5, workMs: 30 } },
  buffered: { title: { en: 'Buffered channel, slow consumer', zh: '缓冲通道与慢消费者' }, knobs: { n: 8, capacity: 3, workMs: 60 } },
  'close-range': { title: { en: 'close and range', zh: 'close 与 range' }, knobs: { n: 4 } },
  'forgot-receiver': { title: { en: 'Send with no receiver (deadlock)', zh: '没有接收者的发送(死锁)' }, knobs: {} },
  'select-timeout': { title: { en: 'select with a timeout', zh: '带超时的 select' }, knobs: { workMs: 300, timeoutMs: 200 } },
  'fan-in': { title: { en: 'Fan-in with select', zh: '用 select 合流' }, knobs: { n: 6 } },
  'select-default': { title: { en: 'Non-blocking send (default)', zh: '非阻塞发送(default)' }, knobs: { n: 12, capacity: 2 } },
  'counter-race': { title: { en: 'Shared counter', zh: '共享计数器' }, knobs: { n: 10, useMutex: false } },
  'counter-channel': { title: { en: 'Counter owned by one goroutine', zh: '由一个 goroutine 拥有的计数器' }, knobs: { n: 10 } },
  leak: { title: { en: 'Timeout that leaks goroutines', zh: '会泄漏 goroutine 的超时' }, knobs: { n: 5, workMs: 100, timeoutMs: 50 } },
  'leak-fixed': { title: { en: 'Timeout without leaks', zh: '不泄漏的超时' }, knobs: { n: 5, workMs: 100, timeoutMs: 50 } },
  'context-cancel': { title: { en: 'Cancel workers with a context', zh: '用 context 取消工作 goroutine' }, knobs: { n: 3, timeoutMs: 250 } },
};

const KNOB_TEXT: Record<Knob, LocalizedText> = {
  n: { en: 'count', zh: '数量' },
  capacity: { en: 'capacity', zh: '容量' },
  workMs: { en: 'work (ms)', zh: '工作时长 (ms)' },
  timeoutMs: { en: 'timeout (ms)', zh: '超时 (ms)' },
  useMutex: { en: 'use a Mutex', zh: '使用 Mutex' },
};

/** The number knobs' limits, from the run command's schema. */
export const KNOB_LIMITS = fieldLimits(GoroutinesRunArgs, ['n', 'capacity', 'workMs', 'timeoutMs']);

/** The lesson's programs, from its frontmatter; unknown names are ignored. */
export function lessonPrograms(meta: Record<string, unknown>): GoroutineProgram[] {
  const raw = meta.programs;
  if (!Array.isArray(raw)) return [];
  return raw.filter((p): p is GoroutineProgram => (GOROUTINE_PROGRAMS as readonly string[]).includes(p as string));
}

const outputFold = {
  init: () => ({ lines: [] as { gid: number; text: string }[], version: 0 }),
  step(s: { lines: { gid: number; text: string }[]; version: number }, e: LabEvent): void {
    if (e.demo !== GOROUTINES_DEMO) return;
    if (e.kind === 'go.runStart') {
      s.lines = [];
      s.version++;
    } else if (e.kind === 'go.print') {
      if (s.lines.length < 300) s.lines.push({ gid: e.gid, text: e.text });
      s.version++;
    }
  },
};

export default function GoroutinePrograms({ lesson }: ViewProps) {
  const { language } = useLab();
  const t = useText(GOROUTINE_UI);
  const programs = useMemo(() => lessonPrograms(lesson.meta), [lesson.meta]);
  const [program, setProgram] = useState<GoroutineProgram | null>(programs[0] ?? null);
  const [knobs, setKnobs] = useState<Record<string, number | boolean>>({});
  const goroutines = useDemoCommand(GOROUTINES_DEMO);
  const busy = goroutines.pending;
  const [result, setResult] = useState<GoroutinesRunResult | null>(null);
  /** Runs finished since the page opened (tests wait on it). */
  const [runs, setRuns] = useState(0);
  const output = useVersionedFold(outputFold, 10);
  if (program === null) return null;
  const info = PROGRAMS[program];
  const value = (k: Knob) => knobs[`${program}.${k}`] ?? info.knobs[k];

  const run = async () => {
    setResult(null);
    const args: Record<string, unknown> = { program };
    for (const k of Object.keys(info.knobs) as Knob[]) args[k] = value(k);
    // Each knob holds its schema field's type (numbers; useMutex a boolean); the server validates the whole.
    setResult((await goroutines.run('run', args as GoroutinesRunArgs)) ?? null);
    setRuns((n) => n + 1);
  };

  return (
    <section className="panel goroutine-programs" data-testid="goroutine-programs" data-runs={runs} data-busy={busy}>
      <header className="panel-head">
        <h3>{t('programs')}</h3>
        <SourceBadge source="observed" />
        <span className="spacer" />
        <select value={program} onChange={(e) => setProgram(e.target.value as GoroutineProgram)} data-testid="program-select" aria-label={t('programs')}>
          {programs.map((p) => (
            <option key={p} value={p}>
              {PROGRAMS[p].title[language]}
            </option>
          ))}
        </select>
        {(Object.keys(info.knobs) as Knob[]).map((k) => {
          const v = value(k);
          return (
            <label key={k} className="knob">
              {KNOB_TEXT[k][language]}{' '}
              {typeof v === 'boolean' ? (
                <input type="checkbox" checked={v} onChange={(e) => setKnobs({ ...knobs, [`${program}.${k}`]: e.target.checked })} data-testid={`knob-${k}`} />
              ) : (
                <input
                  type="number"
                  min={KNOB_LIMITS[k as Exclude<Knob, 'useMutex'>].min}
                  max={KNOB_LIMITS[k as Exclude<Knob, 'useMutex'>].max}
                  value={v as number}
                  onChange={(e) => setKnobs({ ...knobs, [`${program}.${k}`]: clampToLimits(e.target.value, KNOB_LIMITS[k as Exclude<Knob, 'useMutex'>]) })}
                  data-testid={`knob-${k}`}
                  style={{ width: '6em' }}
                />
              )}
            </label>
          );
        })}
        <button type="button" className="primary" onClick={run} disabled={busy} data-testid="program-run">
          {t('run')}
        </button>
        <button type="button" onClick={() => void goroutines.run('stop')} disabled={!busy} data-testid="program-stop">
          {t('stop')}
        </button>
      </header>
      {goroutines.error && (
        <p className="error" role="alert">
          {goroutines.error}
        </p>
      )}
      <pre className="go-output" data-testid="program-output" data-lines={output.lines.length}>
        {output.lines.map((l) => `[g${l.gid}] ${l.text}`).join('\n')}
      </pre>
      {result && (
        <div data-testid="program-result" data-status={result.status} data-goroutines={result.goroutines}>
          <p className={result.status === 'ok' && result.report === '' ? 'muted' : 'warn-text'}>
            {result.status} · {result.goroutines} {t('goroutines')} · {result.ms.toFixed(0)} ms
          </p>
          {result.report && <pre className="go-report">{result.report}</pre>}
        </div>
      )}
    </section>
  );
}
