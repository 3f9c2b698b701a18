// Whose run the goroutine views are showing: "Your run" (the student's snippet, run in this browser) or the lab's
// demo (run on the lab server), so the two are never confused.
import { useText } from '../../app/labContext';
import { GOROUTINE_UI } from '../../i18n/goroutineText';

export type RunOwner = 'run' | 'lab' | 'none';

export function runOwner(demo: string | null, snippetRun: string | null): RunOwner {
  if (demo === null) return 'none';
  return demo === snippetRun ? 'run' : 'lab';
}

export function GoroutineRunOwner({ demo, snippetRun }: { demo: string | null; snippetRun: string | null }) {
  const t = useText(GOROUTINE_UI);
  const owner = runOwner(demo, snippetRun);
  if (owner === 'none') return null;
  return (
    <span
      className={`go-owner go-owner-${owner}`}
      data-testid="goroutine-run-owner"
      data-owner={owner}
      data-demo={demo}
      title={t(owner === 'run' ? 'yourRunTitle' : 'labDemoTitle')}
    >
      {owner === 'run' ? t('yourRun') : `${t('labDemo')}: ${demo}`}
    </span>
  );
}
