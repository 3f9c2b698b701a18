// The join page: join code and display name, then on to the lessons. Errors come back coded, in both languages.
import { useEffect, useState, type FormEvent } from 'react';
import { ERROR_MESSAGES, type WireError } from '@core/protocol/errors';
import { initialLanguage, rememberLanguage, type Language } from '../i18n/language';
import { join } from './classroomApi';
import { CLASS_TEXT } from './classroomText';

export function JoinPage() {
  const params = new URLSearchParams(location.search);
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [code, setCode] = useState(params.get('code') ?? '');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WireError | null>(null);
  const t = (k: keyof typeof CLASS_TEXT) => CLASS_TEXT[k][language];

  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = `GoNet Lab: ${t('joinTitle')}`;
    rememberLanguage(language);
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const result = await join({ code, name });
    setBusy(false);
    if (result.ok) location.assign('/');
    else setError(result.error);
  };

  return (
    <main className="class-page join-page">
      <header className="class-header">
        <h1>{t('joinTitle')}</h1>
        <button
          type="button"
          className="ghost"
          onClick={() => setLanguage(language === 'en' ? 'zh' : 'en')}
          data-testid="language-toggle"
        >
          {t('language')}
        </button>
      </header>
      {params.get('left') === 'kicked' && <p role="status">{t('kicked')}</p>}
      {params.get('left') === 'session' && <p role="status">{ERROR_MESSAGES.E_CLASS_SESSION_INVALID[language]}</p>}
      <p>{t('joinIntro')}</p>
      <form onSubmit={(e) => void submit(e)} className="join-form">
        <label>
          {t('code')}
          <input
            name="code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            required
            maxLength={20}
            data-testid="join-code"
          />
        </label>
        <label>
          {t('name')}
          <input
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="nickname"
            required
            maxLength={40}
            data-testid="join-name"
          />
        </label>
        <button type="submit" disabled={busy} data-testid="join-submit">
          {busy ? t('joining') : t('join')}
        </button>
      </form>
      {error && (
        <p className="error" role="alert" data-testid="join-error" data-code={error.code}>
          {error.message[language]}
        </p>
      )}
    </main>
  );
}
