// Shows whether the page is live, and asks for a reload when the server runs a newer build.
import { useLabConnection, useText } from './labContext';

export function ConnectionBadge() {
  const { state, lastError } = useLabConnection();
  const t = useText();
  if (state === 'reload') {
    return (
      <span className="badge warn" role="alert" data-testid="reload-banner">
        {t('reloadNeeded')}{' '}
        <button type="button" onClick={() => location.reload()}>
          {t('reload')}
        </button>
      </span>
    );
  }
  const label = state === 'open' ? t('connected') : state === 'connecting' ? t('connecting') : t('disconnected');
  return (
    <span
      className={`badge ${state === 'open' ? 'ok' : 'warn'}`}
      data-testid="connection-state"
      data-state={state}
      title={lastError ? `${lastError.code}: ${lastError.detail ?? ''}` : undefined}
    >
      <span className="dot" /> {label}
    </span>
  );
}
