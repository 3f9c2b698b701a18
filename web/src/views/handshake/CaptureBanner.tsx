// Whether packets are being captured, and when not, why and how to enable it (the lab goes on with polled states).
// Shared by lesson 4's scenario panel and a snippet run's packet panel.
import { useLab, useText } from '../../app/labContext';
import { HANDSHAKE_UI } from '../../i18n/handshakeText';
import type { CaptureState } from './handshakeRecording';
import { SourceBadge } from '../common/SourceBadge';
import './handshake.css';

export function CaptureBanner({ capture, polling }: { capture: CaptureState; polling: boolean | null }) {
  const t = useText(HANDSHAKE_UI);
  const { language } = useLab();
  if (capture.status === 'unknown') return null;
  if (capture.status === 'capturing' || capture.status === 'stopped') {
    return (
      <p className="hs-capture ok" data-testid="capture-status" data-status="capturing">
        <SourceBadge source="captured" /> {t('captureOn')}
        {polling === false && <span className="muted"> · {t('pollingOff')}</span>}
      </p>
    );
  }
  const info = capture.info;
  return (
    <div className="hs-capture off" role="status" data-testid="capture-status" data-status={capture.status}>
      <strong>{t('captureOff')}</strong>
      {info?.error && (
        <p>
          {t('captureWhy')}: {info.error.message[language]}
          {info.error.detail && <code className="hs-detail">{info.error.detail}</code>}
        </p>
      )}
      {(info?.howToEnable || info?.enableCommand) && (
        <p>
          {t('captureHow')}: {info?.howToEnable?.[language]}{' '}
          {info?.enableCommand && <code data-testid="enable-command">{info.enableCommand}</code>}
        </p>
      )}
      <p className="muted">{t('captureFallback')}</p>
      {polling === false && <p className="muted">{t('pollingOff')}</p>}
    </div>
  );
}
