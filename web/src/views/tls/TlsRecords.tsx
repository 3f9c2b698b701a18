// Lesson 27's view: runs against the lab's TLS servers (a session, a bad certificate, garbage) beside what the
// capture shows of the chosen connection: the TCP handshake, then each TLS record, and for a chosen record its
// hello fields or its ciphertext beside the plaintext the session keys open.
import { useState } from 'react';
import type { DemoResult } from '@core/protocol/demoCommands';
import { BROKEN_HELLO_HEX, TLS_DEMO, type BadCertificateKind } from '@core/protocol/demos/tls';
import type { TlsRecordFields } from '@core/protocol/events/tls';
import { useText } from '../../app/labContext';
import { TLS_UI } from '../../i18n/tlsText';
import { useEventFold } from '../../store/useEventFold';
import { SourceBadge } from '../common/SourceBadge';
import { useDemoCommand } from '../common/useDemoCommand';
import type { ViewProps } from '../viewRegistry';
import { hexLines, pickConnection, recordLabel, tlsViewFold, type LadderRow } from './tlsViewModel';
import { LabPart } from '../common/LabPart';
import '../common/labSections.css';
import './tls.css';

type Result<A extends 'session' | 'badCert' | 'garbage'> = DemoResult<typeof TLS_DEMO, A>;
type T = (key: keyof typeof TLS_UI) => string;

const BAD: Array<[BadCertificateKind, keyof typeof TLS_UI]> = [
  ['wrong-name', 'wrongName'],
  ['unknown-ca', 'unknownCa'],
  ['expired', 'expired'],
];

function Field({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </>
  );
}

function RecordDetails({ r, t }: { r: TlsRecordFields; t: T }) {
  const list = (xs: string[]) => (xs.length > 0 ? xs.join(', ') : t('none'));
  return (
    <div className="tls-details" data-testid="tls-details">
      <p>
        <strong>
          {r.from === 'client' ? t('client') : t('server')} #{r.index}: {r.contentType}
        </strong>{' '}
        ({r.length} B, {r.version}) <SourceBadge source="captured" />
      </p>
      {r.clientHello && (
        <dl className="tls-fields" data-testid="tls-client-hello">
          <Field name={t('sni')} value={r.clientHello.serverName ?? t('none')} />
          <Field name={t('alpn')} value={list(r.clientHello.alpn)} />
          <Field name={t('versions')} value={list(r.clientHello.supportedVersions)} />
          <Field name={t('suites')} value={list(r.clientHello.cipherSuites)} />
          <Field name={t('keyShares')} value={list(r.clientHello.keyShareGroups)} />
        </dl>
      )}
      {r.serverHello && (
        <dl className="tls-fields" data-testid="tls-server-hello">
          <Field name={t('chosenVersion')} value={r.serverHello.version} />
          <Field name={t('chosenSuite')} value={r.serverHello.cipherSuite} />
          <Field name={t('keyShare')} value={r.serverHello.keyShareGroup ?? t('none')} />
          {r.serverHello.helloRetryRequest && <Field name="HelloRetryRequest" value="✓" />}
        </dl>
      )}
      {r.alert && (
        <p data-testid="tls-alert">
          alert: {r.alert.level} {r.alert.description}
        </p>
      )}
      {r.encrypted && (
        <div className="tls-sidebyside">
          <figure>
            <figcaption>{t('ciphertext')}</figcaption>
            <pre data-testid="tls-ciphertext">{hexLines(r.ciphertextHex ?? '').join('\n')}</pre>
          </figure>
          <figure>
            <figcaption>
              {t('plaintext')} {r.decrypted && <SourceBadge source="captured" />}
            </figcaption>
            {r.decrypted ? (
              <div data-testid="tls-plaintext" data-inner={r.decrypted.innerType}>
                <p className="muted">
                  {t('innerType')}: <strong>{r.decrypted.innerType}</strong> · {t('keys')}: {r.decrypted.keys} ·{' '}
                  {t('sequence')}: {r.decrypted.sequence}
                </p>
                {r.decrypted.alert && (
                  <p data-testid="tls-inner-alert">
                    alert: {r.decrypted.alert.level} {r.decrypted.alert.description}
                  </p>
                )}
                {r.decrypted.messages.length > 0 && <p>{r.decrypted.messages.join(', ')}</p>}
                {r.decrypted.text !== null && r.decrypted.text !== '' && (
                  <pre className="tls-text" data-testid="tls-plaintext-text">
                    {r.decrypted.text}
                  </pre>
                )}
                <pre>{hexLines(r.decrypted.plaintextHex).slice(0, 8).join('\n')}</pre>
              </div>
            ) : (
              <p className="muted" data-testid="tls-not-decrypted">
                {r.notDecrypted === 'tls12'
                  ? t('tls12')
                  : r.notDecrypted === 'suite'
                    ? t('suite')
                    : r.notDecrypted === 'failed'
                      ? t('failed')
                      : t('noKeys')}
              </p>
            )}
          </figure>
        </div>
      )}
    </div>
  );
}

function rowKey(row: LadderRow, i: number): string {
  return row.kind === 'record' ? `${row.record.from}${row.record.index}` : `${row.kind}${i}`;
}

export default function TlsRecords(_props: ViewProps) {
  const t = useText(TLS_UI);
  const state = useEventFold(tlsViewFold, 10);
  const cmd = useDemoCommand(TLS_DEMO);
  const [version, setVersion] = useState<'1.3' | '1.2'>('1.3');
  const [helloRetry, setHelloRetry] = useState(false);
  const [message, setMessage] = useState('hello over TLS');
  const [session, setSession] = useState<Result<'session'> | null>(null);
  const [bad, setBad] = useState<Result<'badCert'> | null>(null);
  const [garbage, setGarbage] = useState<Result<'garbage'> | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const busy = cmd.pending;
  const conn = pickConnection(state, focus);
  const chosenRow = conn?.rows.find((r, i) => rowKey(r, i) === chosen && r.kind === 'record');

  const ran = (client: string | null) => {
    setFocus(client);
    setChosen(null);
  };

  return (
    <section className="panel lab-view tls-view" data-testid="tls-view">
      <header className="panel-head">
        <h3>{t('title')}</h3>
        <span className="spacer" />
        {state.capture === 'capturing' ? (
          <span data-testid="tls-capture" data-status="capturing">
            <SourceBadge source="captured" /> {t('captureOn')}
          </span>
        ) : (
          <span className="muted" data-testid="tls-capture" data-status={state.capture}>
            {state.capture === 'unknown' ? '' : t('captureOff')}
          </span>
        )}
      </header>
      {cmd.error && (
        <p className="warn-text" role="alert" data-testid="tls-error">
          {cmd.error}
        </p>
      )}

      <LabPart titleId="tls-session-title" title={t('sessionTitle')}>
        <div className="lab-controls">
          <label>
            {t('version')}{' '}
            <select
              value={version}
              onChange={(e) => setVersion(e.target.value as '1.3' | '1.2')}
              data-testid="tls-version"
            >
              <option value="1.3">TLS 1.3</option>
              <option value="1.2">TLS 1.2</option>
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={helloRetry}
              disabled={version !== '1.3'}
              onChange={(e) => setHelloRetry(e.target.checked)}
              data-testid="tls-hello-retry"
            />{' '}
            {t('helloRetry')}
          </label>
          <label>
            {t('message')}{' '}
            <input
              value={message}
              maxLength={200}
              onChange={(e) => setMessage(e.target.value)}
              data-testid="tls-message"
            />
          </label>
          <button
            type="button"
            disabled={busy || message.length === 0}
            data-testid="tls-session-run"
            onClick={async () => {
              const r = await cmd.run('session', { version, message, helloRetry: helloRetry && version === '1.3' });
              if (r) {
                setSession(r);
                ran(r.client);
              }
            }}
          >
            {t('runSession')}
          </button>
        </div>
        {session && (
          <p data-testid="tls-session-result" data-version={session.version}>
            <SourceBadge source="observed" /> {t('negotiated')}: <strong>{session.version}</strong>,{' '}
            {session.cipherSuite}; {t('echoed')}: “{session.echoed}” · {t('keyLog')}: <code>{session.keyLogFile}</code>
          </p>
        )}
      </LabPart>

      <LabPart titleId="tls-bad-title" title={t('badTitle')}>
        <div className="lab-controls">
          {BAD.map(([kind, label]) => (
            <button
              key={kind}
              type="button"
              disabled={busy}
              data-testid={`tls-bad-${kind}`}
              onClick={async () => {
                const r = await cmd.run('badCert', { kind });
                if (r) {
                  setBad(r);
                  ran(r.client);
                }
              }}
            >
              {t(label)}
            </button>
          ))}
        </div>
        {bad && (
          <p data-testid="tls-bad-result" data-dialer={bad.dialer} data-kind={bad.kind}>
            <SourceBadge source="observed" /> {bad.dialer === 'go' ? t('dialerGo') : t('dialerNode')}:{' '}
            <code data-testid="tls-bad-error">{bad.error}</code>
          </p>
        )}
      </LabPart>

      <LabPart titleId="tls-garbage-title" title={t('garbageTitle')}>
        <div className="lab-controls">
          <button
            type="button"
            disabled={busy}
            data-testid="tls-garbage-http"
            onClick={async () => {
              const r = await cmd.run('garbage', { text: 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n' });
              if (r) {
                setGarbage(r);
                ran(r.client);
              }
            }}
          >
            {t('sendHttp')}
          </button>
          <button
            type="button"
            disabled={busy}
            data-testid="tls-garbage-broken"
            onClick={async () => {
              const r = await cmd.run('garbage', { hex: BROKEN_HELLO_HEX });
              if (r) {
                setGarbage(r);
                ran(r.client);
              }
            }}
          >
            {t('sendBroken')}
          </button>
        </div>
        {garbage && (
          <p data-testid="tls-garbage-result" data-alert={garbage.alert?.description ?? ''}>
            <SourceBadge source="observed" />{' '}
            {garbage.alert
              ? `${t('serverAlert')}: ${garbage.alert.level} ${garbage.alert.description}`
              : t('serverClosed')}
          </p>
        )}
      </LabPart>

      <LabPart titleId="tls-ladder-title" title={t('ladderTitle')} source="captured">
        {!conn ? (
          <p className="muted">{t('noConnection')}</p>
        ) : (
          <>
            <p data-testid="tls-connection" data-client={conn.client}>
              {t('connection')} {conn.client} → {conn.server}
              {conn.roundTrips && (
                <span data-testid="tls-round-trips" data-count={conn.roundTrips.roundTrips}>
                  {' '}
                  · {conn.roundTrips.version}: <strong>{conn.roundTrips.roundTrips}</strong> {t('roundTrips')}
                  {conn.roundTrips.helloRetry ? ` (${t('retried')})` : ''}, {t('plusTcp')}
                </span>
              )}
            </p>
            <ol className="tls-ladder" data-testid="tls-ladder">
              {conn.rows.map((row, i) => {
                const key = rowKey(row, i);
                const side = row.kind === 'record' ? row.record.from : row.from;
                const arrow = side === 'client' ? '→' : '←';
                if (row.kind === 'tcp')
                  return (
                    <li key={key} className={`tls-row tcp from-${side}`} data-testid="tls-tcp-row">
                      {arrow} TCP {row.flags.join(' ')}
                    </li>
                  );
                if (row.kind === 'error')
                  return (
                    <li key={key} className={`tls-row error from-${side}`} data-testid="tls-stream-error">
                      {arrow} {t('notTls')} ({row.code}): <code>{row.text ?? row.bytesHex}</code>
                    </li>
                  );
                const r = row.record;
                return (
                  <li key={key} className={`tls-row from-${side}`}>
                    <button
                      type="button"
                      className={chosen === key ? 'chosen' : ''}
                      aria-pressed={chosen === key}
                      data-testid="tls-record"
                      data-from={r.from}
                      data-type={r.contentType}
                      data-inner={r.decrypted?.innerType ?? ''}
                      data-text={r.decrypted?.text ?? ''}
                      data-alert={(r.alert ?? r.decrypted?.alert)?.description ?? ''}
                      onClick={() => setChosen(key)}
                    >
                      {arrow} {r.contentType} {r.length} B · {recordLabel(r)}
                      {r.encrypted && (
                        <span className="tls-lock">
                          {' '}
                          [{t('encrypted')}
                          {r.decrypted ? ' → ✓' : ''}]
                        </span>
                      )}
                    </button>
                  </li>
                );
              })}
            </ol>
            {chosenRow && chosenRow.kind === 'record' ? (
              <RecordDetails r={chosenRow.record} t={t} />
            ) : (
              <p className="muted">{t('pickRecord')}</p>
            )}
          </>
        )}
      </LabPart>
    </section>
  );
}
