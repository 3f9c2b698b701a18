// The command dispatch: actions come from the demo's command map, arguments are validated (defaults filled in)
// before a handler runs, failures become stable codes, and a result its schema refuses never reaches a browser.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommands } from '../../core/protocol/commandMap.js';
import { DEMO_COMMANDS } from '../../core/protocol/demoCommands.js';
import { LabError } from '../../core/protocol/errors.js';
import type { CommandMessage } from '../../core/protocol/wire.js';
import { createDemos } from '../demos/demoRegistry.js';
import { demoCommands, type Demo } from '../demos/demo.js';
import { dispatchCommand } from './commandDispatch.js';

const TEST_COMMANDS = defineCommands({
  add: {
    args: z.object({ a: z.number().int(), b: z.number().int().default(10) }).strict(),
    result: z.object({ sum: z.number().int() }),
  },
  fail: { args: z.object({ lab: z.boolean() }), result: z.object({}) },
  lie: { args: z.object({}), result: z.object({ n: z.number() }) },
});

function testDemo(seen: unknown[]): Demo {
  return {
    id: 'test',
    title: { en: 'test', zh: '测试' },
    portCount: 0,
    start: async () => undefined,
    stop: async () => undefined,
    endpoints: () => [],
    commands: demoCommands(TEST_COMMANDS, {
      add: (args, caller) => {
        seen.push({ args, caller });
        return { sum: args.a + args.b };
      },
      fail: (args) => {
        throw args.lab ? new LabError('E_NO_SUCH_CLIENT', 'client-9') : new Error('disk on fire');
      },
      // A cast past the compiler: the dispatch must still refuse it.
      lie: () => ({ n: 'three' }) as unknown as { n: number },
    }),
  };
}

const message = (action: string, args?: unknown): CommandMessage => ({
  type: 'command',
  id: 1,
  demo: 'test',
  action,
  ...(args === undefined ? {} : { args }),
});

describe('dispatchCommand', () => {
  it('runs the handler with validated arguments, defaults filled in, and replies with its result', async () => {
    const seen: unknown[] = [];
    const outcome = await dispatchCommand(testDemo(seen), message('add', { a: 2 }), { session: 's1' });
    expect(outcome).toEqual({ ok: true, result: { sum: 12 } });
    expect(seen).toEqual([{ args: { a: 2, b: 10 }, caller: { session: 's1' } }]);
  });

  it('refuses unknown demos, unknown actions (own properties only) and bad arguments before any handler runs', async () => {
    const seen: unknown[] = [];
    const demo = testDemo(seen);
    expect(await dispatchCommand(undefined, message('add', { a: 1 }), { session: 's' })).toMatchObject({
      ok: false,
      error: { code: 'E_UNKNOWN_DEMO' },
    });
    for (const action of ['nosuch', 'toString', '__proto__', 'constructor']) {
      expect(await dispatchCommand(demo, message(action), { session: 's' })).toMatchObject({
        ok: false,
        error: { code: 'E_UNKNOWN_ACTION', detail: `test.${action}` },
      });
    }
    const bad = await dispatchCommand(demo, message('add', { a: 1.5, extra: true }), { session: 's' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'E_BAD_ARGS' } });
    expect(!bad.ok && bad.error.detail).toMatch(/a: /);
    expect(seen).toEqual([]);
  });

  it('passes a LabError through with its code, and reports any other failure as E_ACTION_FAILED', async () => {
    const demo = testDemo([]);
    expect(await dispatchCommand(demo, message('fail', { lab: true }), { session: 's' })).toMatchObject({
      ok: false,
      error: { code: 'E_NO_SUCH_CLIENT', detail: 'client-9' },
    });
    expect(await dispatchCommand(demo, message('fail', { lab: false }), { session: 's' })).toMatchObject({
      ok: false,
      error: { code: 'E_ACTION_FAILED', detail: 'disk on fire' },
    });
  });

  it('replies E_INTERNAL instead of a result its schema refuses', async () => {
    const outcome = await dispatchCommand(testDemo([]), message('lie'), { session: 's' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'E_INTERNAL' } });
    expect(!outcome.ok && outcome.error.detail).toContain('test.lie');
  });
});

describe("the lab's demos", () => {
  it("each dispatch exactly the actions of its map in core/protocol, with the map's own schemas", () => {
    const demos = createDemos();
    expect(demos.map((d) => d.id).sort()).toEqual(Object.keys(DEMO_COMMANDS).sort());
    for (const demo of demos) {
      const map = DEMO_COMMANDS[demo.id as keyof typeof DEMO_COMMANDS];
      expect(Object.keys(demo.commands).sort(), demo.id).toEqual(Object.keys(map).sort());
      for (const [action, spec] of Object.entries(map)) {
        expect(demo.commands[action].args, `${demo.id}.${action}`).toBe(spec.args);
        expect(demo.commands[action].result, `${demo.id}.${action}`).toBe(spec.result);
      }
    }
  });
});
