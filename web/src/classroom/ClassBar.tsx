// The joined student's class bar: who they are in class, and a run the instructor shows to everyone.
import { useEffect, useState } from 'react';
import type { ShownRun } from '@core/protocol/classroom';
import { initialLanguage, type Language } from '../i18n/language';
import { CLASS_TEXT } from './classroomText';
import type { StudentLink } from './studentLink';

/** On the lab's machine in a class: the way to the instructor page. */
export function InstructorLink() {
  const language: Language = document.documentElement.lang.startsWith('zh') ? 'zh' : 'en';
  return (
    <aside className="class-bar" aria-label={CLASS_TEXT.instructorTitle[language]}>
      <a href="/instructor" data-testid="instructor-link">
        {CLASS_TEXT.instructorPage[language]}
      </a>
    </aside>
  );
}

export function ClassBar({ link }: { link: StudentLink }) {
  const [shown, setShown] = useState<ShownRun | null>(link.shown);
  const [hidden, setHidden] = useState(false);
  const [language, setLanguage] = useState<Language>(initialLanguage);
  useEffect(
    () =>
      link.onShown((run) => {
        setShown(run);
        setHidden(false);
      }),
    [link],
  );
  // The app's language toggle sets <html lang>; follow it.
  useEffect(() => {
    const observer = new MutationObserver(() =>
      setLanguage(document.documentElement.lang.startsWith('zh') ? 'zh' : 'en'),
    );
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    return () => observer.disconnect();
  }, []);
  const fill = (text: string, name: string) => text.replace('{name}', name);
  return (
    <aside className="class-bar" aria-label={CLASS_TEXT.instructorTitle[language]} data-testid="class-bar">
      <span data-testid="class-name">{fill(CLASS_TEXT.inClassAs[language], link.name)}</span>
      {shown && !hidden && (
        <section data-testid="shown-run">
          <h2>
            {fill(CLASS_TEXT.shownRun[language], shown.name)}
            {shown.lesson ? ` · ${shown.lesson}` : ''}
          </h2>
          <pre>{shown.output}</pre>
          <button type="button" onClick={() => setHidden(true)}>
            {CLASS_TEXT.close[language]}
          </button>
        </section>
      )}
    </aside>
  );
}
