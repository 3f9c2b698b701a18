// The DNS demo on real sockets: each scenario name gives its outcome to the lab's resolver, the cache keeps an answer
// for its TTL while a changed record waits, the capture decodes this run's own packets (UDP with TC, then TCP), a
// flood is bounded, a malformed query is refused with its code, and a remote page may not change the zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEventBody } from '../../../core/protocol/events.js';
import type { DnsResolveResult } from '../../../core/protocol/demos/dns.js';
import { SCENARIO_NAMES } from '../../../core/protocol/demos/dns.js';
import { DnsDemo } from './dnsDemo.js';

const events: LabEventBody[] = [];
const demo = new DnsDemo();
const me = { session: 'test-page' };

async function resolve(name: string, cache = false): Promise<DnsResolveResult> {
  return (await demo.commands.resolve.run({ name, type: 'A', cache, timeoutMs: 600 }, me)) as DnsResolveResult;
}

beforeAll(async () => {
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
});
afterAll(() => demo.stop());

describe('DnsDemo', () => {
  it('gives each scenario its outcome', async () => {
    const outcomes: Record<string, string> = {};
    for (const [scenario, name] of Object.entries(SCENARIO_NAMES)) outcomes[scenario] = (await resolve(name)).outcome;
    expect(outcomes).toEqual({
      ok: 'ok',
      alias: 'ok',
      nxdomain: 'nxdomain',
      servfail: 'servfail',
      timeout: 'timeout',
      truncated: 'ok',
    });
  });

  it('retries over TCP after a truncated UDP answer, and the capture shows exactly those two answers', async () => {
    const r = await resolve(SCENARIO_NAMES.truncated);
    expect(r.attempts.map((a) => [a.transport, a.truncated, a.answers])).toEqual([
      ['udp', true, 0],
      ['tcp', false, 100],
    ]);
    const capturing = events.some((e) => e.kind === 'packet.captureStatus' && e.status === 'capturing');
    if (!capturing) return; // without capture (an unprivileged run) the resolver's own attempts above are the evidence
    const mine = () =>
      events.flatMap((e) =>
        e.kind === 'dns.packet' && e.to === r.client && e.message?.questions[0]?.name === SCENARIO_NAMES.truncated
          ? [e]
          : [],
      );
    for (let i = 0; i < 160 && mine().length < 1; i++) await new Promise((res) => setTimeout(res, 25));
    const udpAnswer = mine().find((e) => e.transport === 'udp');
    expect(udpAnswer?.message).toMatchObject({ qr: true, tc: true, answerCount: 0 });
    const tcpAnswers = () =>
      events.filter(
        (e) =>
          e.kind === 'dns.packet' && e.transport === 'tcp' && e.message?.qr === true && e.message.answerCount === 100,
      );
    for (let i = 0; i < 160 && tcpAnswers().length < 1; i++) await new Promise((res) => setTimeout(res, 25));
    expect(tcpAnswers().length).toBeGreaterThan(0);
  });

  it('keeps an answer for its TTL: a changed record is seen only without the cache', async () => {
    await demo.commands.resetZone.run({}, me);
    const first = await resolve(SCENARIO_NAMES.ok, true);
    await demo.commands.setRecord.run({ name: SCENARIO_NAMES.ok, type: 'A', values: ['10.0.0.99'], ttl: 30 }, me);
    const cached = await resolve(SCENARIO_NAMES.ok, true);
    const fresh = await resolve(SCENARIO_NAMES.ok, false);
    expect([first.fromCache, first.answers[0].value]).toEqual([false, '10.0.0.7']);
    expect([cached.fromCache, cached.answers[0].value, cached.attempts.length]).toEqual([true, '10.0.0.7', 0]);
    expect(cached.ttlLeft).toBeLessThanOrEqual(30);
    expect([fresh.fromCache, fresh.answers[0].value]).toEqual([false, '10.0.0.99']);
    await demo.commands.resetZone.run({}, me);
  });

  it('bounds a flood from one source and refuses a malformed query with its code', async () => {
    const flood = (await demo.commands.flood.run({ count: 1000 }, me)) as { answered: number; droppedByBudget: number };
    // The budget's burst is 50 and it refills at 100 a second: far fewer than 1,000 can be answered.
    expect(flood.answered).toBeLessThan(500);
    expect(flood.droppedByBudget).toBeGreaterThan(0);
    const bad = (await demo.commands.malformed.run({ kind: 'pointerLoop' }, { session: 'other-page' })) as {
      reply: string | null;
      refusal: { code: string } | null;
    };
    expect([bad.reply, bad.refusal?.code]).toEqual(['FORMERR', 'E_DNS_POINTER_LOOP']);
  });

  it('lets only the lab machine change the zone', async () => {
    await expect(
      demo.commands.setRecord.run(
        { name: SCENARIO_NAMES.ok, type: 'A', values: ['10.0.0.5'], ttl: 30 },
        { session: 's', local: false },
      ),
    ).rejects.toMatchObject({ code: 'E_INSTRUCTOR_ONLY' });
  });
});
