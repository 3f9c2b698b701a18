// A joined student's link to the classroom: mirrors their work (edits, exercise results, current lesson) to the
// server over /ws/classroom, and follows the instructor (go to a lesson, a run shown to the class, removal).
import {
  CLASSROOM_WS_PATH,
  JOIN_PAGE_PATH,
  type ClassroomServerMessage,
  type ShownRun,
  type StudentMessage,
  type StudentWork,
} from '@core/protocol/classroom';
import { onWorkSaved, restoreWork, type WorkChange } from '../snippets/snippetStorage';

const EDIT_DELAY_MS = 400;
const RECONNECT_MS = 1500;

export class StudentLink {
  private ws: WebSocket | null = null;
  /** Latest message per key (one per lesson file, lesson progress, current lesson) not yet sent. */
  private readonly pending = new Map<string, StudentMessage>();
  private readonly editTimers = new Map<string, number>();
  private stopped = false;
  private readonly shownListeners = new Set<(run: ShownRun | null) => void>();
  shown: ShownRun | null = null;

  constructor(readonly name: string) {}

  /** Restores the server's copy of the student's work, then starts mirroring and following. */
  start(work: StudentWork): void {
    restoreWork(work.progress, work.edits);
    if (work.lesson && !location.hash) location.hash = `#/${work.lesson}`;
    onWorkSaved((change) => this.onWork(change));
    window.addEventListener('hashchange', () => this.reportLesson());
    this.reportLesson();
    this.connect();
  }

  onShown(listener: (run: ShownRun | null) => void): () => void {
    this.shownListeners.add(listener);
    return () => this.shownListeners.delete(listener);
  }

  /** A snippet run's printed output, kept as the student's last run (the instructor may show it to the class). */
  reportRun(lesson: string, output: string): void {
    this.queue('run', { type: 'run', lesson, output: output.slice(-16 * 1024) });
  }

  private onWork(change: WorkChange): void {
    if (change.kind === 'run') return this.reportRun(change.slug, change.output);
    if (change.kind === 'progress') {
      const p = change.progress;
      this.queue(`progress:${change.slug}`, {
        type: 'progress',
        lesson: change.slug,
        passed: p.passed,
        total: p.total,
        solved: p.solved,
        revealed: p.revealed,
      });
      return;
    }
    // Typing saves on every key: send the text once the student pauses.
    const key = `edit:${change.slug}:${change.file}`;
    const message: StudentMessage = { type: 'edit', lesson: change.slug, file: change.file, text: change.text };
    window.clearTimeout(this.editTimers.get(key));
    this.editTimers.set(
      key,
      window.setTimeout(() => this.queue(key, message), EDIT_DELAY_MS),
    );
  }

  private reportLesson(): void {
    const m = /^#\/([0-9]{2}-[a-z0-9-]+)/.exec(location.hash);
    if (m) this.queue('lesson', { type: 'lesson', lesson: m[1]! });
  }

  private queue(key: string, message: StudentMessage): void {
    this.pending.delete(key); // re-inserted last, so messages go out in the order they last changed
    this.pending.set(key, message);
    this.flush();
  }

  private flush(): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    for (const [key, message] of this.pending) {
      this.ws.send(JSON.stringify(message));
      this.pending.delete(key);
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${CLASSROOM_WS_PATH}`);
    this.ws = ws;
    ws.onopen = () => this.flush();
    ws.onmessage = (e) => this.onMessage(JSON.parse(String(e.data)) as ClassroomServerMessage);
    ws.onclose = (e) => {
      this.ws = null;
      // 4001: removed by the instructor or the session ended; refused upgrades (no session) land here too.
      if (e.code === 4001) return this.leave('kicked');
      window.setTimeout(() => void this.reconnectOrLeave(), RECONNECT_MS);
    };
  }

  private async reconnectOrLeave(): Promise<void> {
    // A socket refused before it opened says nothing about why: ask whether the session still counts.
    try {
      const r = await fetch('/api/classroom/me', { cache: 'no-store' });
      if (r.status === 401) return this.leave('session');
    } catch {
      // the lab is restarting: try again
    }
    this.connect();
  }

  private onMessage(m: ClassroomServerMessage): void {
    switch (m.type) {
      case 'goto':
        location.hash = `#/${m.lesson}`;
        return;
      case 'kicked':
        return this.leave('kicked');
      case 'shown':
        this.shown = m.run;
        for (const l of this.shownListeners) l(m.run);
        return;
      default:
        return;
    }
  }

  private leave(why: 'kicked' | 'session'): void {
    this.stopped = true;
    location.assign(`${JOIN_PAGE_PATH}?left=${why}`);
  }
}
