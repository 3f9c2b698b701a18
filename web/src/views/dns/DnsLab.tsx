// Lesson 28's view: the lab's DNS server for lab.test. Resolve a name with the lab's resolver (UDP, TC → TCP, a TTL
// cache), run the lesson's Go program and set what Go reported beside it, change a record, and watch the queries and
// responses decoded from the capture (or the server's own account when there is no capture).
import { useEffect, useState } from 'react';
import type { DemoResult } from '@core/protocol/demoCommands';
import { DNS_DEMO, MALFORMED_KINDS, SCENARIO_NAMES, type MalformedKind } from '@core/protocol/demos/dns';
import { useLab, useText } from '../../app/labContext';
import { DNS_OUTCOME, DNS_UI, MALFORMED_LABELS } from '../../i18n/dnsText';
import { useEventFold } from '../../store/useEventFold';
import { SourceBadge } from '../common/SourceBadge';
import { useDemoCommand, wireErrorText } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';
import { dnsViewFold, flagText, zoneTableRows, type PacketRow } from './dnsLabModel';
import { LabPart } from '../common/LabPart';
import '../common/labSections.css';
import './dnsLab.css';

type Result<A extends 'resolve' | 'go' | 'flood' | 'malformed' | 'zone'> = DemoResult<typeof DNS_DEMO, A>;
const TYPES = ['A', 'AAAA', 'CNAME', 'TXT'] as const;

function PacketTable({ rows, served, label }: { rows: PacketRow[]; served: boolean; label: string }) {
  const t = useText(DNS_UI);
  return (
    <div className="dns-scroll" tabIndex={0} role="region" aria-label={label}>
      <table data-testid={served ? 'dns-served' : 'dns-packets'}>
        <thead>
          <tr>
            <th scope="col">{t('transport')}</th>
            <th scope="col">{t('from')}</th>
            <th scope="col">{t('id')}</th>
            <th scope="col">{served ? t('action') : t('flags')}</th>
            <th scope="col">{t('question')}</th>
            <th scope="col">{t('rcode')}</th>
            <th scope="col">{t('answers')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.key}
              data-transport={r.transport}
              data-qr={r.message?.qr ?? ''}
              data-tc={r.message?.tc ?? ''}
              data-rcode={r.rcode ?? ''}
              data-question={r.question}
              data-action={r.action ?? ''}
            >
              <td className={`dns-transport dns-${r.transport}`}>{r.transport.toUpperCase()}</td>
              <td className="mono">
                {r.from} → {r.to}
              </td>
              <td className="mono">{r.message?.id ?? ''}</td>
              <td>{served ? r.action : r.message ? flagText(r.message) : (r.errorCode ?? '')}</td>
              <td className="mono">{r.question}</td>
              <td>{r.rcode ?? ''}</td>
              <td className="mono">
                {r.message?.answers.map((a, i) => (
                  <div key={i}>
                    {a.type} {a.value} <span className="muted">ttl {a.ttl}</span>
                  </div>
                ))}
                {r.message && r.message.answerCount > r.message.answers.length && (
                  <div className="muted">{t('more').replace('{n}', String(r.message.answerCount))}</div>
                )}
                {served && r.errorCode}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function DnsLab(_props: ViewProps) {
  const t = useText(DNS_UI);
  const o = useText(DNS_OUTCOME);
  const m = useText(MALFORMED_LABELS);
  const { language } = useLab();
  const state = useEventFold(dnsViewFold, 10);
  const cmd = useDemoCommand(DNS_DEMO);
  const [name, setName] = useState<string>(SCENARIO_NAMES.ok);
  const [type, setType] = useState<(typeof TYPES)[number]>('A');
  const [cache, setCache] = useState(true);
  const [lookup, setLookup] = useState<Result<'resolve'> | null>(null);
  const [go, setGo] = useState<Result<'go'> | null>(null);
  const [zone, setZone] = useState<Result<'zone'> | null>(null);
  const [address, setAddress] = useState('10.0.0.8');
  const [ttl, setTtl] = useState(30);
  const [bad, setBad] = useState<MalformedKind>('pointerLoop');
  const [badResult, setBadResult] = useState<Result<'malformed'> | null>(null);
  const [flood, setFlood] = useState<Result<'flood'> | null>(null);
  const busy = cmd.pending;
  const run = cmd.run;

  useEffect(() => {
    void run('zone', {}).then((z) => z && setZone(z));
  }, [run]);
  // The zone as the latest event or command says (events reach every page when another one changes it).
  const zoneRows = state.serial >= (zone?.serial ?? 0) && state.zone.length > 0 ? state.zone : (zone?.rows ?? []);
  const serial = Math.max(state.serial, zone?.serial ?? 0);
  const capturing = state.capture === 'capturing';

  const resolve = async (n: string) => {
    setName(n);
    const r = await cmd.run('resolve', { name: n, type, cache });
    if (r) setLookup(r);
  };

  return (
    <section className="panel lab-view dns-lab" data-testid="dns-lab">
      <header className="panel-head">
        <h3>{t('title')}</h3>
        <span className="spacer" />
        {capturing ? (
          <span data-testid="dns-capture" data-status="capturing">
            <SourceBadge source="captured" /> {t('captureOn')}
          </span>
        ) : (
          <span className="muted" data-testid="dns-capture" data-status={state.capture}>
            {state.capture === 'unknown' ? '' : t('captureOff')}
          </span>
        )}
      </header>
      {cmd.error && (
        <p className="warn-text" role="alert" data-testid="dns-error">
          {cmd.error}
        </p>
      )}

      <LabPart titleId="dns-ask-title" title={t('askTitle')} source="observed">
        <div className="lab-controls">
          {Object.entries(SCENARIO_NAMES).map(([scenario, n]) => (
            <button
              key={scenario}
              type="button"
              disabled={busy}
              data-testid={`dns-ask-${scenario}`}
              onClick={() => void resolve(n)}
            >
              {n}
            </button>
          ))}
        </div>
        <div className="lab-controls">
          <label>
            {t('name')} <input value={name} onChange={(e) => setName(e.target.value)} data-testid="dns-name" />
          </label>
          <label>
            {t('type')}{' '}
            <select
              value={type}
              onChange={(e) => setType(e.target.value as (typeof TYPES)[number])}
              data-testid="dns-type"
            >
              {TYPES.map((x) => (
                <option key={x}>{x}</option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={cache}
              onChange={(e) => setCache(e.target.checked)}
              data-testid="dns-cache"
            />{' '}
            {t('useCache')}
          </label>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => void resolve(name)}
            data-testid="dns-resolve"
          >
            {t('resolve')}
          </button>
        </div>
        {lookup && (
          <div data-testid="dns-lookup" data-outcome={lookup.outcome} data-from-cache={lookup.fromCache}>
            <p>
              <strong>
                {lookup.name} {lookup.type}
              </strong>
              : <span data-testid="dns-outcome">{o(lookup.outcome)}</span>
              {lookup.fromCache && (
                <span className="muted" data-testid="dns-cached">
                  {' '}
                  · {t('fromCache').replace('{s}', String(lookup.ttlLeft ?? 0))}
                </span>
              )}
            </p>
            {lookup.attempts.length > 0 && (
              <table data-testid="dns-attempts" aria-label={t('attempts')}>
                <thead>
                  <tr>
                    <th scope="col">{t('transport')}</th>
                    <th scope="col">{t('id')}</th>
                    <th scope="col">{t('rcode')}</th>
                    <th scope="col">{t('tc')}</th>
                    <th scope="col">{t('answers')}</th>
                    <th scope="col">{t('bytes')}</th>
                  </tr>
                </thead>
                <tbody>
                  {lookup.attempts.map((a, i) => (
                    <tr key={i} data-transport={a.transport} data-tc={a.truncated}>
                      <td className={`dns-transport dns-${a.transport}`}>{a.transport.toUpperCase()}</td>
                      <td className="mono">{a.id}</td>
                      <td>{a.timedOut ? t('timedOut') : a.rcode}</td>
                      <td>{a.truncated ? 'TC' : ''}</td>
                      <td>{a.answers}</td>
                      <td>{a.bytes}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {lookup.answers.length > 0 && (
              <ul className="dns-answers mono" data-testid="dns-answers">
                {lookup.answers.map((a, i) => (
                  <li key={i}>
                    {a.name} {a.type} {a.value} <span className="muted">TTL {a.ttl}</span>
                  </li>
                ))}
                {lookup.answerCount > lookup.answers.length && (
                  <li className="muted">{t('more').replace('{n}', String(lookup.answerCount))}</li>
                )}
              </ul>
            )}
          </div>
        )}
      </LabPart>

      <LabPart titleId="dns-go-title" title={t('goTitle')} source="observed">
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="dns-go"
          onClick={async () => {
            const r = await cmd.run('go', {});
            if (r) setGo(r);
          }}
        >
          {t('goRun')}
        </button>
        <p className="muted">{t('goNoCache')}</p>
        {go && !go.ran && (
          <p data-testid="dns-go-missing">{go.error ? wireErrorText(go.error, language) : t('goMissing')}</p>
        )}
        {go?.ran && (
          <div data-testid="dns-go-result">
            {go.error && <p className="warn-text">{wireErrorText(go.error, language)}</p>}
            <table aria-label={t('goResult')}>
              <thead>
                <tr>
                  <th scope="col">{t('name')}</th>
                  <th scope="col">{t('goResult')}</th>
                  <th scope="col">IsNotFound</th>
                  <th scope="col">IsTimeout</th>
                  <th scope="col">IsTemporary</th>
                </tr>
              </thead>
              <tbody>
                {go.lookups.map((l) => (
                  <tr key={l.name} data-name={l.name} data-ok={l.ok}>
                    <td className="mono">{l.name}</td>
                    <td className="mono">{l.ok ? l.result : l.err}</td>
                    <td>{String(l.isNotFound)}</td>
                    <td>{String(l.isTimeout)}</td>
                    <td>{String(l.isTemporary)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <details>
              <summary>
                {t('goOutput')} ({go.goVersion})
              </summary>
              <pre className="dns-output" data-testid="dns-go-output" tabIndex={0}>
                {go.output}
              </pre>
            </details>
          </div>
        )}
      </LabPart>

      <LabPart titleId="dns-zone-title" title={t('zoneTitle')} source="observed">
        <div className="lab-controls">
          <label>
            {t('address')}{' '}
            <input value={address} onChange={(e) => setAddress(e.target.value)} data-testid="dns-address" />
          </label>
          <label>
            {t('ttl')}{' '}
            <input
              type="number"
              min={0}
              max={86400}
              value={ttl}
              onChange={(e) => setTtl(Number(e.target.value))}
              data-testid="dns-ttl"
            />
          </label>
          <button
            type="button"
            disabled={busy}
            data-testid="dns-set"
            onClick={async () => {
              const z = await cmd.run('setRecord', { name: SCENARIO_NAMES.ok, type: 'A', values: [address], ttl });
              if (z) setZone(z);
            }}
          >
            {t('setRecord')}
          </button>
          <button
            type="button"
            disabled={busy}
            data-testid="dns-reset"
            onClick={async () => {
              const z = await cmd.run('resetZone', {});
              if (z) setZone(z);
            }}
          >
            {t('resetZone')}
          </button>
        </div>
        <table data-testid="dns-zone" data-serial={serial} aria-label={t('zoneTitle')}>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('type')}</th>
              <th scope="col">{t('value')}</th>
              <th scope="col">{t('ttl')}</th>
            </tr>
          </thead>
          <tbody>
            {zoneTableRows(zoneRows).map((r, i) => (
              <tr key={i} data-name={r.name} data-type={r.type}>
                <td className="mono">{r.name}</td>
                <td>{r.type}</td>
                <td className="mono">
                  {r.value}
                  {r.count > 1 && (
                    <span className="muted">
                      {' '}
                      ({r.count} {t('records')})
                    </span>
                  )}
                </td>
                <td>{r.ttl}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          {t('serial')} {serial}
        </p>
      </LabPart>

      <section className="lab-part" aria-labelledby="dns-packets-title">
        <h4 id="dns-packets-title">
          {capturing ? t('packetsTitle') : t('servedTitle')}{' '}
          <SourceBadge source={capturing ? 'captured' : 'observed'} />
          {capturing && (
            <span className="muted">
              {' '}
              · {t('captured')} <span data-testid="dns-packet-count">{state.packetCount}</span>
            </span>
          )}
        </h4>
        {capturing ? (
          <PacketTable rows={state.packets} served={false} label={t('packetsTitle')} />
        ) : (
          <PacketTable rows={state.served} served label={t('servedTitle')} />
        )}
      </section>

      <LabPart titleId="dns-bad-title" title={t('badTitle')} source="observed">
        <div className="lab-controls">
          <label>
            {t('malformed')}{' '}
            <select
              value={bad}
              onChange={(e) => setBad(e.target.value as MalformedKind)}
              data-testid="dns-malformed-kind"
            >
              {MALFORMED_KINDS.map((k) => (
                <option key={k} value={k}>
                  {m(k)}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={busy}
            data-testid="dns-malformed"
            onClick={async () => {
              const r = await cmd.run('malformed', { kind: bad });
              if (r) setBadResult(r);
            }}
          >
            {t('sendMalformed')}
          </button>
          <button
            type="button"
            disabled={busy}
            data-testid="dns-flood"
            onClick={async () => {
              const r = await cmd.run('flood', { count: 1000 });
              if (r) setFlood(r);
            }}
          >
            {t('flood')}
          </button>
        </div>
        {badResult && (
          <p data-testid="dns-malformed-result" data-refusal={badResult.refusal?.code ?? ''}>
            <span className="mono">{badResult.hex}</span>
            <br />
            {t('reply')}: <strong>{badResult.reply ?? t('noReply')}</strong>
            {badResult.refusal && (
              <>
                {' '}
                · {t('codec')}: {wireErrorText(badResult.refusal, language)}
              </>
            )}
          </p>
        )}
        {flood && (
          <p data-testid="dns-flood-result" data-dropped={flood.droppedByBudget}>
            {t('floodResult')
              .replace('{a}', String(flood.answered))
              .replace('{d}', String(flood.droppedByBudget))
              .replace('{p}', String(flood.budget.perSecond))
              .replace('{b}', String(flood.budget.burst))}
          </p>
        )}
      </LabPart>
    </section>
  );
}
