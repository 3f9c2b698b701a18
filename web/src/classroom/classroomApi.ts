// The page's side of the classroom API: who this page is, joining, and the instructor's actions.
import type { ClassroomIdentity, JoinRequest } from '@core/protocol/classroom';
import type { WireError } from '@core/protocol/errors';

/** Who this page is; a lab without a classroom (404 or no answer) means the lab as it always was. */
export async function fetchIdentity(): Promise<ClassroomIdentity> {
  try {
    const r = await fetch('/api/classroom/me', { cache: 'no-store' });
    return r.ok ? ((await r.json()) as ClassroomIdentity) : { role: 'solo' };
  } catch {
    return { role: 'solo' };
  }
}

export type ActionResult = { ok: true; body: Record<string, unknown> } | { ok: false; error: WireError };

/** POSTs JSON and turns the lab's coded error, or a network failure, into a value. */
export async function postJson(path: string, body: unknown): Promise<ActionResult> {
  try {
    const r = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await r.json()) as { error?: WireError } & Record<string, unknown>;
    if (!r.ok || json.error)
      return {
        ok: false,
        error: json.error ?? { code: 'E_INTERNAL', message: { en: `HTTP ${r.status}`, zh: `HTTP ${r.status}` } },
      };
    return { ok: true, body: json };
  } catch (err) {
    return { ok: false, error: { code: 'E_INTERNAL', message: { en: String(err), zh: String(err) } } };
  }
}

export function join(request: JoinRequest): Promise<ActionResult> {
  return postJson('/api/classroom/join', request);
}
