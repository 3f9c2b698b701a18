// The goroutines demo runs the programs the lessons declare, by name, with each program's own knobs and limits;
// it knows none of them itself.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GoroutinesRunArgs } from '../../../core/protocol/demos/goroutines.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import { GoroutineDemo } from './goroutineDemo.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A lessons folder whose one lesson declares a program that prints its knobs. */
function lessonsWithProgram(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gonet-goroutine-programs-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, '01-knobs'));
  writeFileSync(
    path.join(dir, '01-knobs', 'programs.ts'),
    `export const programs = [{
      name: 'echo-knobs',
      title: { en: 'Echo the knobs', zh: '回显旋钮' },
      knobs: { n: { default: 3, min: 2, max: 6 }, useMutex: { default: true } },
      main: (k, run) => async () => run.println('n=' + k.n + ' mutex=' + k.useMutex + ' seed=' + run.seed),
    }];\n`,
  );
  return dir;
}

async function started(dir?: string): Promise<{ demo: GoroutineDemo; events: LabEventBody[] }> {
  const demo = new GoroutineDemo(dir);
  const events: LabEventBody[] = [];
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
  return { demo, events };
}

describe('goroutines demo', () => {
  it("runs a lesson's program with its defaults, or the knobs given within its limits", async () => {
    const { demo, events } = await started(lessonsWithProgram());
    expect((await demo.run({ program: 'echo-knobs' })).output).toEqual(['n=3 mutex=true seed=1']);
    expect((await demo.run({ program: 'echo-knobs', n: 6, useMutex: false, seed: 9 })).output).toEqual([
      'n=6 mutex=false seed=9',
    ]);
    expect(events.some((e) => e.kind === 'go.print')).toBe(true);
    await demo.stop();
  });

  it('refuses an unknown program, a knob the program lacks and a value outside its limits', async () => {
    const { demo } = await started(lessonsWithProgram());
    const code = (args: unknown) =>
      demo.run(GoroutinesRunArgs.parse(args)).then(
        () => 'ran',
        (e: { code?: string; message: string }) => `${e.code}: ${e.message}`,
      );
    expect(await code({ program: 'spawn' })).toMatch(
      /^E_BAD_ARGS: program: no program named "spawn" \(known: echo-knobs\)/,
    );
    expect(await code({ program: 'echo-knobs', timeoutMs: 10 })).toMatch(
      /^E_BAD_ARGS: timeoutMs: the program echo-knobs has no such knob/,
    );
    expect(await code({ program: 'echo-knobs', n: 7 })).toMatch(/^E_BAD_ARGS: n: 7 is outside 2–6/);
    expect(await code({ program: 'echo-knobs', n: 1 })).toMatch(/^E_BAD_ARGS: n: 1 is outside 2–6/);
    await demo.stop();
  });

  it("runs the lessons' own programs (lessons/)", async () => {
    const { demo } = await started();
    const r = await demo.run({ program: 'close-range', n: 2 });
    expect(r.status).toBe('ok');
    expect(r.output).toEqual(['range got w0', 'range got w1', 'after close: v="" ok=false']);
    expect((await demo.run({ program: 'forgot-receiver' })).status).toBe('deadlock');
    await demo.stop();
  });
});
