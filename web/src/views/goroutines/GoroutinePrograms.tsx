// Runs the goroutines demo's programs from a lesson page: the lesson names its programs in the frontmatter
// (`programs: [unbuffered, buffered]`) and the server sends their titles and knobs (count, capacity, work and
// timeout, mutex, each with its default and limits, declared in the lesson folder's programs.ts); the printed
// output and final status (ok, deadlock, leaks, panic) show here while the timeline and dump show the goroutines.
import { useState } from 'react';
import type { LocalizedText } from '@core/protocol/errors';
import type { LabEvent } from '@core/protocol/events';
import {
  GOROUTINES_DEMO,
  KNOBS,
  type GoroutinesRunArgs,
  type GoroutinesRunResult,
  type Knob,
} from '@core/protocol/demos/goroutines';
import { useLab, useText } from '../../app/labContext';
import { GOROUTINE_UI } from '../../i18n/goroutineText';
import { useVersionedFold } from './useVersionedFold';
import { SourceBadge } from '../common/SourceBadge';
import { clampToLimits } from '../common/schemaKnobs';
import { useDemoCommand } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';
import './goroutineTimeline.css';

const KNOB_TEXT: Record<Knob, LocalizedText> = {
  n: { en: 'count', zh: '数量' },
  capacity: { en: 'capacity', zh: '容量' },
  workMs: { en: 'work (ms)', zh: '工作时长（ms）' },
  timeoutMs: { en: 'timeout (ms)', zh: '超时（ms）' },
  useMutex: { en: 'use a Mutex', zh: '使用 Mutex' },
};

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
  const programs = lesson.programs;
  const [program, setProgram] = useState<string | null>(programs[0]?.name ?? null);
  const [knobs, setKnobs] = useState<Record<string, number | boolean>>({});
  const goroutines = useDemoCommand(GOROUTINES_DEMO);
  const busy = goroutines.pending;
  const [result, setResult] = useState<GoroutinesRunResult | null>(null);
  /** Runs finished since the page opened (tests wait on it). */
  const [runs, setRuns] = useState(0);
  const output = useVersionedFold(outputFold, 10);
  const info = programs.find((p) => p.name === program);
  if (!info) return null;
  const knobsOf = KNOBS.filter((k) => info.knobs[k] !== undefined);
  const value = (k: Knob) => knobs[`${info.name}.${k}`] ?? info.knobs[k]!.default;
  const limits = (k: Knob) => ({ ...(info.knobs[k] as { min: number; max: number }), integer: true });

  const run = async () => {
    setResult(null);
    const args: Record<string, unknown> = { program: info.name };
    for (const k of knobsOf) args[k] = value(k);
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
        <select
          value={info.name}
          onChange={(e) => setProgram(e.target.value)}
          data-testid="program-select"
          aria-label={t('programs')}
        >
          {programs.map((p) => (
            <option key={p.name} value={p.name}>
              {p.title[language]}
            </option>
          ))}
        </select>
        {knobsOf.map((k) => {
          const v = value(k);
          return (
            <label key={k} className="knob">
              {KNOB_TEXT[k][language]}{' '}
              {typeof v === 'boolean' ? (
                <input
                  type="checkbox"
                  checked={v}
                  onChange={(e) => setKnobs({ ...knobs, [`${info.name}.${k}`]: e.target.checked })}
                  data-testid={`knob-${k}`}
                />
              ) : (
                <input
                  type="number"
                  min={limits(k).min}
                  max={limits(k).max}
                  value={v as number}
                  onChange={(e) =>
                    setKnobs({ ...knobs, [`${info.name}.${k}`]: clampToLimits(e.target.value, limits(k)) })
                  }
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
      <pre
        className="go-output"
        role="log"
        tabIndex={0}
        aria-label={t('programOutput')}
        data-testid="program-output"
        data-lines={output.lines.length}
      >
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
