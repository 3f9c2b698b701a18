// Lesson 26's view: the UDP demo's runs (TCP vs UDP boundaries, loss and reordering through the relay, the size
// limit, a flood, the kernel's table) beside the datagrams the capture saw.
import { useState } from 'react';
import type { DemoResult } from '@core/protocol/demoCommands';
import { MAX_SIZE_KNOB, MAX_UDP_PAYLOAD_IPV4, UDP_DEMO } from '@core/protocol/demos/udp';
import { useLab, useText } from '../../app/labContext';
import { UDP_UI } from '../../i18n/udpText';
import { useEventFold } from '../../store/useEventFold';
import { SourceBadge } from '../common/SourceBadge';
import { useDemoCommand, wireErrorText } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';
import { arrivalMarks, readFromResult, udpViewFold } from './udpLabModel';
import { LabPart } from '../common/LabPart';
import '../common/labSections.css';
import './udpLab.css';

type Result<A extends 'exchange' | 'compare' | 'size' | 'flood' | 'sockets'> = DemoResult<typeof UDP_DEMO, A>;
const BUFFERS = [16, 512, 1024, 65507];

function ReadBoxes({ reads, testId }: { reads: number[]; testId: string }) {
  const total = reads.reduce((a, b) => a + b, 0) || 1;
  return (
    <div className="udp-reads" data-testid={testId} data-count={reads.length}>
      {reads.map((n, i) => (
        <span key={i} className="udp-read" style={{ flexGrow: n / total }} title={`${n} B`}>
          {n}
        </span>
      ))}
    </div>
  );
}

export default function UdpLab(_props: ViewProps) {
  const t = useText(UDP_UI);
  const { language } = useLab();
  const state = useEventFold(udpViewFold, 10);
  const cmd = useDemoCommand(UDP_DEMO);
  const [compare, setCompare] = useState<Result<'compare'> | null>(null);
  const [exchange, setExchange] = useState<Result<'exchange'> | null>(null);
  const [size, setSize] = useState<Result<'size'> | null>(null);
  const [flood, setFlood] = useState<Result<'flood'> | null>(null);
  const [table, setTable] = useState<Result<'sockets'> | null>(null);
  const [loss, setLoss] = useState(20);
  const [reorder, setReorder] = useState(20);
  const [seed, setSeed] = useState('');
  const [bytes, setBytes] = useState(MAX_UDP_PAYLOAD_IPV4);
  const [buffer, setBuffer] = useState(16);
  const busy = cmd.pending;

  const runExchange = async (via: 'relay' | 'direct') => {
    const relay = { lossPercent: loss, reorderPercent: reorder, ...(seed.trim() ? { seed: Number(seed) } : {}) };
    const r = await cmd.run('exchange', { count: 20, size: 16, via, relay });
    if (r) setExchange(r);
  };
  const bufferRead = readFromResult(size?.sent ? (size.echoed ?? size.size) : bytes, buffer);

  return (
    <section className="panel lab-view udp-lab" data-testid="udp-lab">
      <header className="panel-head">
        <h3>{t('title')}</h3>
        <span className="spacer" />
        {state.capture === 'capturing' ? (
          <span data-testid="udp-capture" data-status="capturing">
            <SourceBadge source="captured" /> {t('captureOn')}
          </span>
        ) : (
          <span className="muted" data-testid="udp-capture" data-status={state.capture}>
            {state.capture === 'unknown' ? '' : t('captureOff')}
          </span>
        )}
      </header>
      {cmd.error && (
        <p className="warn-text" role="alert" data-testid="udp-error">
          {cmd.error}
        </p>
      )}

      <LabPart titleId="udp-compare-title" title={t('compareTitle')} source="observed">
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="udp-compare"
          onClick={async () => {
            const r = await cmd.run('compare', { count: 10, size: 32 });
            if (r) setCompare(r);
          }}
        >
          {t('compareRun')}
        </button>
        {compare && (
          <div data-testid="udp-compare-result">
            <p>
              {t('udpRow')}: <strong data-testid="udp-read-count">{compare.udpReads.length}</strong> {t('reads')}
              {compare.udpDatagramsCaptured !== null && (
                <span className="muted">
                  {' '}
                  · {t('captured')} <span data-testid="udp-captured-count">{compare.udpDatagramsCaptured}</span>{' '}
                  {t('datagrams')}
                </span>
              )}
            </p>
            <ReadBoxes reads={compare.udpReads} testId="udp-read-boxes" />
            <p>
              {t('tcpRow')}: <strong data-testid="tcp-read-count">{compare.tcpReads.length}</strong> {t('reads')}
              {compare.tcpSegmentsCaptured !== null && (
                <span className="muted">
                  {' '}
                  · {t('captured')} {compare.tcpSegmentsCaptured} {t('segments')}
                </span>
              )}
            </p>
            <ReadBoxes reads={compare.tcpReads} testId="tcp-read-boxes" />
            <p className="muted">{t('compareNote')}</p>
          </div>
        )}
      </LabPart>

      <LabPart titleId="udp-loss-title" title={t('lossTitle')} source="observed">
        <div className="lab-controls">
          <label>
            {t('loss')}{' '}
            <input
              type="number"
              min={0}
              max={90}
              value={loss}
              onChange={(e) => setLoss(Number(e.target.value))}
              data-testid="udp-loss"
            />
          </label>
          <label>
            {t('reorder')}{' '}
            <input
              type="number"
              min={0}
              max={90}
              value={reorder}
              onChange={(e) => setReorder(Number(e.target.value))}
              data-testid="udp-reorder"
            />
          </label>
          <label>
            {t('seed')}{' '}
            <input
              type="text"
              inputMode="numeric"
              value={seed}
              onChange={(e) => setSeed(e.target.value.replace(/\D/g, ''))}
              data-testid="udp-seed"
            />
          </label>
        </div>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => runExchange('relay')}
          data-testid="udp-relay"
        >
          {t('viaRelay')}
        </button>{' '}
        <button type="button" disabled={busy} onClick={() => runExchange('direct')} data-testid="udp-direct">
          {t('direct')}
        </button>
        {exchange && (
          <div data-testid="udp-exchange-result" data-via={exchange.via}>
            <p>
              {t('arrived')}: <strong data-testid="udp-arrived-count">{exchange.arrivals.length}</strong> · {t('lost')}:{' '}
              <strong data-testid="udp-lost-count">{exchange.lost.length}</strong> · {t('reordered')}:{' '}
              <strong data-testid="udp-reordered-count">{exchange.reordered}</strong>
              {exchange.seed !== null && (
                <span className="muted">
                  {' '}
                  · {t('seedUsed')} <span data-testid="udp-seed-used">{exchange.seed}</span>
                </span>
              )}
            </p>
            <ol className="udp-strip" aria-label={t('arrived')}>
              {arrivalMarks(exchange.arrivals).map((m, i) => (
                <li key={i} className={m.late ? 'late' : ''} data-late={m.late}>
                  {m.seq}
                </li>
              ))}
            </ol>
            <p>
              {t('lost')}:{' '}
              <span data-testid="udp-lost-list">{exchange.lost.length ? exchange.lost.join(', ') : t('none')}</span>
            </p>
          </div>
        )}
      </LabPart>

      <LabPart titleId="udp-size-title" title={t('sizeTitle')} source="observed">
        <div className="lab-controls">
          <label>
            {t('size')}{' '}
            <input
              type="number"
              min={0}
              max={MAX_SIZE_KNOB}
              value={bytes}
              onChange={(e) => setBytes(Number(e.target.value))}
              data-testid="udp-size"
            />
          </label>
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="udp-size-run"
            onClick={async () => {
              const r = await cmd.run('size', { size: Math.max(0, Math.min(MAX_SIZE_KNOB, bytes)) });
              if (r) setSize(r);
            }}
          >
            {t('sizeRun')}
          </button>
        </div>
        {size && (
          <p data-testid="udp-size-result" data-sent={size.sent}>
            {size.sent ? (
              <>
                {size.size} {t('size')}: {t('echoed')} <strong>{size.echoed ?? '—'}</strong>
              </>
            ) : (
              <span className="warn-text">{size.error ? wireErrorText(size.error, language) : null}</span>
            )}
          </p>
        )}
        <h4>
          {t('bufferTitle')} <SourceBadge source="modelled" />
        </h4>
        <label>
          {t('buffer')}{' '}
          <select value={buffer} onChange={(e) => setBuffer(Number(e.target.value))} data-testid="udp-buffer">
            {BUFFERS.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <p data-testid="udp-buffer-result">
          {t('bufferResult').replace('{n}', String(bufferRead.n)).replace('{d}', String(bufferRead.discarded))}
        </p>
      </LabPart>

      <LabPart titleId="udp-flood-title" title={t('floodTitle')} source="observed">
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="udp-flood"
          onClick={async () => {
            const r = await cmd.run('flood', { count: 2000 });
            if (r) setFlood(r);
          }}
        >
          {t('floodRun')}
        </button>
        {flood && (
          <dl className="udp-figures" data-testid="udp-flood-result">
            <dt>{t('sent')}</dt>
            <dd>{flood.sent}</dd>
            <dt>{t('reachedServer')}</dt>
            <dd>{flood.receivedByServer}</dd>
            <dt>{t('answered')}</dt>
            <dd data-testid="udp-flood-answered">{flood.echoed}</dd>
            <dt>{t('droppedByBudget')}</dt>
            <dd data-testid="udp-flood-dropped">{flood.droppedByBudget}</dd>
            <dt>{t('budget')}</dt>
            <dd>
              {flood.budget.perSecond}
              {t('perSecond')} {flood.budget.burst}
            </dd>
          </dl>
        )}
      </LabPart>

      <LabPart titleId="udp-table-title" title={t('tableTitle')} source="polled">
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="udp-table-run"
          onClick={async () => {
            const r = await cmd.run('sockets', {});
            if (r) setTable(r);
          }}
        >
          {t('tableRun')}
        </button>
        {table && (
          <div className="udp-scroll" tabIndex={0} role="region" aria-label={t('tableTitle')}>
            <table data-testid="udp-table">
              <thead>
                <tr>
                  <th>{t('protocol')}</th>
                  <th>{t('role')}</th>
                  <th>{t('local')}</th>
                  <th>{t('remote')}</th>
                  <th>{t('state')}</th>
                </tr>
              </thead>
              <tbody>
                {table.rows.map((r) => (
                  <tr key={`${r.protocol}-${r.role}`} data-role={r.role} data-state={r.state}>
                    <td>{r.protocol}</td>
                    <td>{r.role}</td>
                    <td>
                      <code>{r.local}</code>
                    </td>
                    <td>
                      <code>{r.remote}</code>
                    </td>
                    <td>{r.state}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted">{table.from}</p>
          </div>
        )}
      </LabPart>

      <section className="lab-part" aria-labelledby="udp-captured-title">
        <h4 id="udp-captured-title">
          {t('capturedTitle')} <SourceBadge source="captured" />{' '}
          <span className="muted" data-testid="udp-datagram-total">
            {state.datagramCount}
          </span>
        </h4>
        {state.datagrams.length === 0 ? (
          <p className="muted">{t('capturedNone')}</p>
        ) : (
          <div className="udp-scroll" tabIndex={0} role="region" aria-label={t('capturedTitle')}>
            <table data-testid="udp-datagrams">
              <tbody>
                {state.datagrams.map((d) => (
                  <tr key={d.index}>
                    <td>
                      <code>{d.from}</code> → <code>{d.to}</code>
                    </td>
                    <td>
                      {d.len} B{d.truncated ? ' ✂' : ''}
                    </td>
                    <td>
                      <code>{d.preview}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {state.stats && (
          <p className="muted" data-testid="udp-stats">
            {t('stats')}: {t('reachedServer')} {state.stats.received} · {t('answered')} {state.stats.echoed} ·{' '}
            {t('droppedByBudget')} {state.stats.droppedByBudget}
          </p>
        )}
      </section>
    </section>
  );
}
