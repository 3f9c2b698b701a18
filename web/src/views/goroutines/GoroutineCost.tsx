// What a goroutine costs on this machine, measured by the lab on request (never quoted): the lab's runtime in
// the server's Node process and, where Go is installed, a real Go program with goroutines and OS threads.
import { useState } from 'react';
import type { LocalizedText } from '@core/protocol/errors';
import type { LabEvent } from '@core/protocol/events';
import type { GoroutineCost as Cost } from '@core/protocol/events/goroutine';
import { GOROUTINES_DEMO, GoroutinesMeasureArgs } from '@core/protocol/demos/goroutines';
import { useLab } from '../../app/labContext';
import { useVersionedFold } from './useVersionedFold';
import { SourceBadge } from '../common/SourceBadge';
import { fieldLimits, schemaDefaults } from '../common/schemaKnobs';
import { useDemoCommand } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';
import './goroutineTimeline.css';

const costFold = {
  init: () => ({ runtime: null as Cost | null, go: null as Cost | null, version: 0 }),
  step(s: { runtime: Cost | null; go: Cost | null; version: number }, e: LabEvent): void {
    if (e.kind !== 'go.cost') return;
    s.version++;
    if (e.cost.by === 'go') s.go = e.cost;
    else s.runtime = e.cost;
  },
};

const TEXT = {
  title: { en: 'What a goroutine costs here', zh: 'goroutine 在这台机器上的开销' },
  measure: { en: 'Measure', zh: '测量' },
  measuring: { en: 'Measuring… (Go compiles the lesson program first)', zh: '测量中……（Go 会先编译本课程序）' },
  count: { en: 'goroutines', zh: 'goroutine 数' },
  what: { en: 'measured', zh: '测量对象' },
  perGoroutine: { en: 'memory per blocked goroutine', zh: '每个阻塞 goroutine 的内存' },
  spawn: { en: 'started + finished per second', zh: '每秒启动并结束' },
  perThread: { en: 'resident memory per OS thread', zh: '每个操作系统线程的常驻内存' },
  reserved: {
    en: 'stack reserved per C thread (ulimit -s, address space)',
    zh: '每个 C 线程预留的栈（ulimit -s，地址空间）',
  },
  runtimeRow: { en: "the lab's TypeScript runtime", zh: '实验室的 TypeScript 运行时' },
  goRow: { en: 'Go', zh: 'Go' },
  none: { en: 'Not measured yet.', zh: '尚未测量。' },
  ratio: {
    en: 'OS threads made by Go cost {x}× a goroutine here; a C thread reserves {y}× that in address space for its stack.',
    zh: '这里 Go 创建的操作系统线程开销是 goroutine 的 {x} 倍；一个 C 线程在地址空间中预留的栈是它的 {y} 倍。',
  },
} as const;

function bytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

/** The counts a student can pick: the measure command's smallest, default and largest. */
const { min: COUNT_MIN, max: COUNT_MAX } = fieldLimits(GoroutinesMeasureArgs, ['count']).count;
export const COUNT_CHOICES = [COUNT_MIN, schemaDefaults(GoroutinesMeasureArgs).count, COUNT_MAX];

export default function GoroutineCost(_props: ViewProps) {
  const { language } = useLab();
  const tx = (k: keyof typeof TEXT) => TEXT[k][language];
  const state = useVersionedFold(costFold, 4);
  const [count, setCount] = useState(COUNT_CHOICES[1]!);
  const cost = useDemoCommand(GOROUTINES_DEMO);
  const busy = cost.pending;
  // Why there is no Go figure, kept in both languages so a language switch re-tells it.
  const [goUnavailable, setGoUnavailable] = useState<LocalizedText | null>(null);
  const measure = async () => {
    setGoUnavailable(null);
    const r = await cost.run('measure', { count, withGo: true });
    if (r?.goUnavailable) setGoUnavailable(r.goUnavailable);
  };
  const note = cost.error ?? goUnavailable?.[language] ?? null;
  const rows = [state.runtime, state.go].filter((c): c is Cost => c !== null);
  const go = state.go;
  return (
    <section className="panel goroutine-cost" data-testid="goroutine-cost" data-measured={rows.length}>
      <header className="panel-head">
        <h3>{tx('title')}</h3>
        <SourceBadge source="observed" />
        <span className="spacer" />
        <label>
          {tx('count')}{' '}
          <select value={count} onChange={(e) => setCount(Number(e.target.value))} data-testid="cost-count">
            {COUNT_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n.toLocaleString()}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={measure} disabled={busy} data-testid="cost-measure">
          {tx('measure')}
        </button>
      </header>
      {busy && <p className="muted">{tx('measuring')}</p>}
      {note && (
        <p className="warn-text" data-testid="cost-note">
          {note}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="muted">{tx('none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{tx('what')}</th>
              <th>{tx('perGoroutine')}</th>
              <th>{tx('spawn')}</th>
              <th>{tx('perThread')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.by} data-testid={`cost-${c.by}`} data-bytes={Math.round(c.bytesPerGoroutine)}>
                <td>
                  {c.by === 'go' ? tx('goRow') : tx('runtimeRow')}{' '}
                  <span className="muted">
                    ({c.version}, {c.count.toLocaleString()})
                  </span>
                </td>
                <td>{bytes(c.bytesPerGoroutine)}</td>
                <td>{Math.round(c.spawnPerSecond).toLocaleString()}</td>
                <td>{c.rssBytesPerThread ? `${bytes(c.rssBytesPerThread)} × ${c.threads}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {go?.rssBytesPerThread && go.threadStackReservedBytes ? (
        <p data-testid="cost-ratio">
          {tx('ratio')
            .replace('{x}', (go.rssBytesPerThread / go.bytesPerGoroutine).toFixed(1))
            .replace('{y}', (go.threadStackReservedBytes / go.bytesPerGoroutine).toFixed(0))}{' '}
          <span className="muted">
            ({tx('reserved')}: {bytes(go.threadStackReservedBytes)})
          </span>
        </p>
      ) : null}
    </section>
  );
}
