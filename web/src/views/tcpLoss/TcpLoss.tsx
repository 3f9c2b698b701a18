// Lesson 31's view: a clean and a lossy bulk transfer in the lab's own namespace side by side — throughput over
// time, the sequence/time plot with retransmissions marked, RTT samples and the sender's socket, RTO back-off and
// the kernel's counters. Where runs are not possible it says why and shows the lab's own labelled recording.
import { useEffect, useState } from 'react';
import type { TcpLossProbeResult, TcpLossRunResult } from '@core/protocol/demos/tcpLoss';
import { MAX_TRANSFER_BYTES, MIN_TRANSFER_BYTES, TCP_LOSS_DEMO } from '@core/protocol/demos/tcpLoss';
import { wireError, type ErrorCode } from '@core/protocol/errors';
import { useLab, useText } from '../../app/labContext';
import { TCP_LOSS_UI } from '../../i18n/tcpLossText';
import { useEventFold } from '../../store/useEventFold';
import { SourceBadge } from '../common/SourceBadge';
import { TimeSeriesChart, type ChartPanel } from '../common/TimeSeriesChart';
import { useDemoCommand, wireErrorText } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';
import { SequencePlot } from './SequencePlot';
import {
  backoffRows,
  counterDelta,
  formatBytes,
  slowdown,
  summary,
  tcpLossFold,
  throughputSeries,
  type SummaryFigures,
} from './tcpLossModel';
import { LabPart } from '../common/LabPart';
import '../common/labSections.css';
import './tcpLoss.css';
import { figureText } from '../common/figureText';

const SIZES = [MIN_TRANSFER_BYTES, 1024 * 1024, 2 * 1024 * 1024, MAX_TRANSFER_BYTES];

export default function TcpLoss(_props: ViewProps) {
  const t = useText(TCP_LOSS_UI);
  const { language } = useLab();
  const { progress } = useEventFold(tcpLossFold, 15);
  const cmd = useDemoCommand(TCP_LOSS_DEMO);
  const [probe, setProbe] = useState<TcpLossProbeResult | null>(null);
  const [clean, setClean] = useState<TcpLossRunResult | null>(null);
  const [lossy, setLossy] = useState<TcpLossRunResult | null>(null);
  const [bytes, setBytes] = useState(2 * 1024 * 1024);
  const [loss, setLoss] = useState(20);
  const [direction, setDirection] = useState<'data' | 'acks'>('data');
  const [rate, setRate] = useState(20);
  const [delay, setDelay] = useState(0);
  const { run } = cmd;

  useEffect(() => {
    void (async () => {
      const p = await run('probe', {});
      if (!p) return;
      setProbe(p);
      if (!p.available) {
        const r = await run('recording', {});
        if (r) {
          setClean(r.clean);
          setLossy(r.lossy);
        }
      }
    })();
  }, [run]);

  const transfer = async (lossPercent: number) => {
    const r = await run('transfer', { bytes, lossPercent, direction, rateMbit: rate, delayMs: delay });
    if (!r) return;
    if (lossPercent === 0) setClean(r);
    else setLossy(r);
  };
  const busy = cmd.pending;
  const canRun = probe?.available === true;
  const recorded = [clean, lossy].find((r) => r?.origin === 'recording');
  const netem = probe?.netem ?? lossy?.netem ?? clean?.netem ?? null;
  const ratio = slowdown(clean, lossy);
  const runs = [clean, lossy].filter((r): r is TcpLossRunResult => r !== null);
  const t1 = Math.max(0.1, ...runs.map((r) => r.analysis?.duration ?? 0));
  const throughputPanels: ChartPanel[] = [
    {
      title: t('throughputTitle'),
      series: [
        ...(clean ? [{ label: `${t('clean')} (0 %)`, colour: 'var(--in)', points: throughputSeries(clean) }] : []),
        ...(lossy
          ? [
              {
                label: `${t('lossy')} (${lossy.settings.lossPercent} %)`,
                colour: 'var(--err)',
                points: throughputSeries(lossy),
                dashed: true,
              },
            ]
          : []),
      ],
    },
  ];
  const sock = lossy?.socket ?? [];
  const rttPanels: ChartPanel[] = lossy
    ? [
        {
          title: t('rttSamples'),
          series: [
            {
              label: t('rttSamples'),
              colour: 'var(--captured)',
              points: (lossy.analysis?.rtt ?? []).map((s) => [s.t, s.ms] as const),
            },
            {
              label: t('srtt'),
              colour: 'var(--polled)',
              points: sock.map((s) => [s.t, s.rttMs] as const),
              dashed: true,
            },
          ],
        },
        {
          title: t('rto'),
          series: [
            { label: t('rto'), colour: 'var(--warn)', points: sock.map((s) => [s.t, s.rtoMs] as const), step: true },
          ],
        },
        {
          title: t('cwnd'),
          series: [
            { label: t('cwnd'), colour: 'var(--in)', points: sock.map((s) => [s.t, s.cwnd] as const), step: true },
          ],
        },
      ]
    : [];
  const lastSock = sock.at(-1);
  const rows: Array<[string, keyof SummaryFigures, number]> = [
    [t('seconds'), 'seconds', 2],
    [t('goodput'), 'mbPerSecond', 2],
    [t('retransCaptured'), 'retransmissionsCaptured', 0],
    [t('retransKernel'), 'retransSegsKernel', 0],
    [t('timeouts'), 'timeouts', 0],
    [t('fastRetrans'), 'fastRetransmits', 0],
    [t('dupAcks'), 'duplicateAcks', 0],
    [t('sackAcks'), 'sackAcks', 0],
    [t('dropped'), 'droppedByRule', 0],
  ];
  const figures = { clean: clean && summary(clean), lossy: lossy && summary(lossy) };

  return (
    <section className="panel lab-view tcp-loss" data-testid="tcp-loss" aria-labelledby="loss-title">
      <header className="panel-head">
        <h3 id="loss-title">{t('title')}</h3>
        <span className="spacer" />
        <SourceBadge source="captured" />
        <SourceBadge source="polled" />
      </header>

      <div data-testid="loss-status" data-available={probe ? String(probe.available) : 'unknown'}>
        {!probe && <p className="muted">{t('checking')}</p>}
        {probe?.available && <p>{t('live')}</p>}
        {probe && !probe.available && (
          <p className="warn-text" role="status" data-testid="loss-reason" data-code={probe.code}>
            {wireErrorText(wireError((probe.code ?? 'E_LOSS_NOT_PERMITTED') as ErrorCode, probe.detail), language)}
          </p>
        )}
        {recorded && (
          <p data-testid="loss-recording">
            <span className="loss-recording">{t('recording')}</span>
            {t('recordedOn')} {recorded.recordedOn}
          </p>
        )}
        {netem && (
          <p className="muted" data-testid="loss-netem" data-available={String(netem.available)}>
            {netem.available ? t('netemPresent') : t('netemMissing').replace('{d}', netem.detail ?? '?')}
          </p>
        )}
      </div>
      {cmd.error && (
        <p className="warn-text" role="alert" data-testid="loss-error">
          {cmd.error}
        </p>
      )}

      <div className="lab-controls">
        <label>
          {t('bytes')}{' '}
          <select value={bytes} onChange={(e) => setBytes(Number(e.target.value))} data-testid="loss-bytes">
            {SIZES.map((n) => (
              <option key={n} value={n}>
                {formatBytes(n)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('loss')}{' '}
          <input
            type="number"
            min={1}
            max={40}
            value={loss}
            onChange={(e) => setLoss(Math.min(40, Math.max(1, Number(e.target.value) || 1)))}
            data-testid="loss-percent"
          />
        </label>
        <label>
          {t('direction')}{' '}
          <select value={direction} onChange={(e) => setDirection(e.target.value as 'data' | 'acks')}>
            <option value="data">{t('data')}</option>
            <option value="acks">{t('acks')}</option>
          </select>
        </label>
        <label>
          {t('rate')}{' '}
          <input
            type="number"
            min={0}
            max={1000}
            value={rate}
            onChange={(e) => setRate(Math.min(1000, Math.max(0, Number(e.target.value) || 0)))}
          />
        </label>
        {netem?.available && (
          <label>
            {t('delay')}{' '}
            <input
              type="number"
              min={0}
              max={200}
              value={delay}
              onChange={(e) => setDelay(Math.min(200, Math.max(0, Number(e.target.value) || 0)))}
            />
          </label>
        )}
      </div>
      <div className="lab-controls">
        <button type="button" disabled={busy || !canRun} onClick={() => void transfer(0)} data-testid="loss-run-clean">
          {t('runClean')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || !canRun}
          onClick={() => void transfer(loss)}
          data-testid="loss-run-lossy"
        >
          {t('runLossy')}
        </button>
      </div>
      {progress && !progress.done && (
        <p data-testid="loss-progress">
          <progress max={progress.settings.bytes} value={progress.received} aria-label={t('progress')} />{' '}
          {t('received')} {formatBytes(progress.received)} / {formatBytes(progress.settings.bytes)} ·{' '}
          {(progress.elapsedMs / 1000).toFixed(1)} s
        </p>
      )}

      {runs.length > 0 && (
        <section className="lab-part">
          <table className="lv-table" data-testid="loss-summary">
            <caption>{t('summaryCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('figure')}</th>
                <th scope="col">
                  {t('clean')} {clean && `(${formatBytes(clean.settings.bytes)})`}
                </th>
                <th scope="col">
                  {t('lossy')} {lossy && `(${lossy.settings.lossPercent} %, ${formatBytes(lossy.settings.bytes)})`}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([label, key, digits]) => (
                <tr key={key} data-figure={key}>
                  <th scope="row">{label}</th>
                  <td data-testid={`loss-clean-${key}`}>
                    {figures.clean ? figureText(figures.clean[key], digits) : t('notRun')}
                  </td>
                  <td data-testid={`loss-lossy-${key}`}>
                    {figures.lossy ? figureText(figures.lossy[key], digits) : t('notRun')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {runs.some((r) => !r.finished) && <p className="warn-text">{t('unfinished')}</p>}
          {ratio !== null && (
            <p data-testid="loss-slowdown" data-ratio={ratio.toFixed(2)}>
              <strong>{t('slower').replace('{x}', ratio.toFixed(1))}</strong>
            </p>
          )}
          <TimeSeriesChart
            panels={throughputPanels}
            t0={0}
            t1={t1}
            label={t('throughputLabel')}
            axisLabel={t('time')}
            testId="loss-throughput-chart"
          />
        </section>
      )}

      {lossy?.analysis && (
        <LabPart titleId="loss-seq-title" title={t('seqTitle')} source="captured">
          <SequencePlot
            result={lossy}
            label={t('seqLabel').replace('{n}', String(lossy.analysis.retransmissions.length))}
            legend={{
              firstSend: t('firstSend'),
              retransmit: t('retransmit'),
              ack: t('ackLine'),
              time: t('time'),
              seq: t('seqAxis'),
            }}
          />
          <table className="lv-table" data-testid="loss-retransmissions">
            <caption>{t('retransCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('at')}</th>
                <th scope="col">{t('seq')}</th>
                <th scope="col">{t('gap')}</th>
                <th scope="col">{t('cause')}</th>
              </tr>
            </thead>
            <tbody>
              {lossy.analysis.retransmissions.slice(0, 10).map((r, i) => (
                <tr key={i}>
                  <td>{r.t.toFixed(3)}</td>
                  <td>{r.seq}</td>
                  <td>{(r.gap * 1000).toFixed(1)}</td>
                  <td>{r.cause === 'dupacks' ? t('dupacksCause') : t('timerCause')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </LabPart>
      )}

      {lossy?.analysis && (
        <LabPart titleId="loss-backoff-title" title={t('backoffCaption')}>
          {backoffRows(lossy).length === 0 ? (
            <p className="muted">{t('noBackoff')}</p>
          ) : (
            <table className="lv-table" data-testid="loss-backoff">
              <thead>
                <tr>
                  <th scope="col">{t('seq')}</th>
                  <th scope="col">{t('gap')}</th>
                  <th scope="col">{t('doubled')}</th>
                </tr>
              </thead>
              <tbody>
                {backoffRows(lossy).map((row) => (
                  <tr key={row.seq} data-doubled={String(row.doubled)}>
                    <td>{row.seq}</td>
                    <td>{row.gaps.map((g) => `${g.ms.toFixed(0)}${g.cause === 'timer' ? '*' : ''}`).join(' → ')}</td>
                    <td className={row.doubled ? 'loss-doubled' : ''}>{row.doubled ? '×2' : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="muted">* {t('timerCause')}</p>
        </LabPart>
      )}

      {lossy && rttPanels.length > 0 && (
        <section className="lab-part" aria-labelledby="loss-rtt-title">
          <h4 id="loss-rtt-title">
            {t('rttTitle')} <SourceBadge source="captured" /> <SourceBadge source="polled" />
          </h4>
          <TimeSeriesChart
            panels={rttPanels}
            t0={0}
            t1={Math.max(lossy.analysis?.duration ?? 0, sock.at(-1)?.t ?? 0, 0.1)}
            label={t('rttLabel')}
            axisLabel={t('time')}
            testId="loss-rtt-chart"
          />
          {lastSock && (
            <p className="muted" data-testid="loss-socket-note">
              {t('socketNote')
                .replace('{n}', String(sock.length))
                .replace('{cc}', lastSock.congestion ?? '?')
                .replace('{cwnd}', figureText(lastSock.cwnd))
                .replace('{rtt}', figureText(lastSock.rttMs, 2))
                .replace('{rto}', figureText(lastSock.rtoMs))
                .replace('{re}', `${figureText(lastSock.retransNow)}/${figureText(lastSock.retransTotal)}`)}
            </p>
          )}
        </section>
      )}

      {runs.length > 0 && (
        <section className="lab-part">
          <table className="lv-table" data-testid="loss-counters">
            <caption>{t('countersCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('counter')}</th>
                <th scope="col">{t('clean')}</th>
                <th scope="col">{t('lossy')}</th>
              </tr>
            </thead>
            <tbody>
              {(lossy ?? clean)!.counters.map((c) => (
                <tr key={c.name}>
                  <th scope="row">{c.name}</th>
                  <td>{figureText(counterDelta(clean, c.name))}</td>
                  <td>{figureText(counterDelta(lossy, c.name))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {runs.map((r) =>
            r.captureProblem ? (
              <p key={r.namespace} className="warn-text">
                {t('noCapture').replace('{d}', r.captureProblem)}
              </p>
            ) : null,
          )}
          {lossy && (
            <>
              <h4>{t('rulesTitle')}</h4>
              <pre className="loss-rules" data-testid="loss-rules">
                {`# ip netns add ${lossy.namespace}\n${lossy.rules.join('\n')}`}
              </pre>
            </>
          )}
        </section>
      )}
    </section>
  );
}
