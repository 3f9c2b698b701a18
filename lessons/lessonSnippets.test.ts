// Lesson content test (as the Go tour's content_test and rustlings' CI): every lesson's snippet runs to completion
// headless on the goroutine runtime with its sockets bridged by a real lab server, and every exercise's start file
// FAILS its checks while its solution PASSES them.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLessonSlugs, loadLesson } from '../server/lessons/lessonCatalog.js';
import type { Lesson } from '../core/protocol/lessons.js';
import { startTestLab, type TestLabServer } from '../server/bridge/testLabServer.js';
import { runHeadless, type HeadlessResult } from '../web/src/snippets/headlessRun.js';
import { snippetConfigOf } from '../web/src/snippets/snippetConfig.js';
import type { RunRequest } from '../web/src/snippets/snippetRunner.js';

const lessonsDir = fileURLToPath(new URL('.', import.meta.url));
// A lesson that does not load at all is the catalog's test's to report; here each is loaded on its own.
const lessons = (
  await Promise.all((await listLessonSlugs(lessonsDir)).map((slug) => loadLesson(lessonsDir, slug).catch(() => null)))
).filter((l): l is Lesson => l !== null);
const withSnippets = lessons.map((l) => ({ lesson: l, config: snippetConfigOf(l) })).filter((x) => x.config !== null);

let lab: TestLabServer;
beforeAll(async () => {
  lab = await startTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

async function run(lesson: Lesson, req: RunRequest, timeLimitMs: number): Promise<HeadlessResult> {
  const bridge = await lab.openBridge();
  try {
    return await runHeadless(req, { bridge, demos: lab.lab.status().demos, timeLimitMs });
  } finally {
    bridge.close();
  }
}

// What a snippet's output must say where the lesson's text relies on it.
const EXPECTED_OUTPUT: Record<string, RegExp> = {
  '09-worker-pool': /during shutdown: 4 of 4 replies arrived, then EOF/,
  // Each status the lesson names, in the order the twin sends them, with the Location the POST returned.
  '24-rest-json':
    /201 Created {2}Location: \/items\/\d+[\s\S]*204 No Content[\s\S]*404 Not Found[\s\S]*422 [\s\S]*400 Bad Request[\s\S]*413 [\s\S]*415 [\s\S]*500 Internal Server Error/,
  // Where the onion stopped each request, and the request id header it sent back.
  '25-middleware':
    /X-Request-Id: my-id-1[\s\S]*401 Unauthorized[\s\S]*200 OK[\s\S]*500 Internal Server Error[\s\S]*503 Service Unavailable/,
  // The pool dials once per caller; the health check discards every connection the server closed, and without it
  // a request fails on each of them.
  '19-connection-pool':
    /pool: +\d+ requests in 1 s, 0 failed, 4 handshakes[\s\S]*health check true: \d+ ok, 0 failed, 4 discarded[\s\S]*health check false: \d+ ok, 4 failed, 0 discarded/,
  // A second live listener refused, then the restart on the same port while the old connection is in TIME_WAIT.
  '29-port-reuse':
    /served 127\.0\.0\.1:(\d+) -> [\s\S]*second live listener: [^\n]*in use[\s\S]*restart listens on 127\.0\.0\.1:\1 /,
  // 100 idle connections' goroutines stay parked while the busy one's runs.
  '30-netpoller': /101 connections, 101 goroutines[\s\S]*goroutines that ran: 1; parked the whole time: 100/,
};

describe('lesson snippets', () => {
  it('finds the exercises', () => {
    expect(withSnippets.filter((x) => x.config!.isExercise).length).toBeGreaterThanOrEqual(3);
  });

  for (const { lesson, config } of withSnippets) {
    const c = config!;
    const files = c.solution ? [c.file, c.solution] : [c.file];
    for (const f of files) {
      it(
        `${lesson.slug}/${f.name}: main() runs to completion`,
        async () => {
          const r = await run(lesson, { mode: 'run', file: f.name, source: f.text }, c.timeLimitMs);
          expect(r.limit, r.output).toBeNull();
          expect(r.outcome.status, `${r.output}\n${r.outcome.report}`).toBe('ok');
          expect(r.output.length).toBeGreaterThan(0);
          const expected = EXPECTED_OUTPUT[lesson.slug];
          if (expected && f === c.file) expect(r.output).toMatch(expected);
        },
        c.timeLimitMs + 10_000,
      );
    }
    if (!c.isExercise) continue;
    it(`${lesson.slug}: the start file fails its checks`, async () => {
      const r = await run(
        lesson,
        { mode: 'check', file: c.file.name, source: c.file.text, checks: c.checks!.text },
        60_000,
      );
      expect(r.outcome.status, r.outcome.report).toBe('ok');
      expect(r.checks.length).toBeGreaterThan(0);
      expect(
        r.checks.some((x) => !x.pass),
        JSON.stringify(r.checks),
      ).toBe(true);
      // Every failure explains itself in both languages.
      for (const x of r.checks.filter((y) => !y.pass)) {
        expect(x.message?.en.length).toBeGreaterThan(10);
        expect(x.message?.zh.length).toBeGreaterThan(5);
      }
    }, 70_000);
    it(`${lesson.slug}: the solution passes every check`, async () => {
      const r = await run(
        lesson,
        { mode: 'check', file: c.solution!.name, source: c.solution!.text, checks: c.checks!.text },
        60_000,
      );
      const failures = r.checks.filter((x) => !x.pass).map((x) => `${x.name.en}: ${x.message?.en}`);
      expect(failures).toEqual([]);
      expect(r.checks.length).toBeGreaterThan(0);
    }, 70_000);
  }
});
