// Lesson 24's resource: items in memory, with the checks a REST handler makes before it changes anything. Pure.

export interface Item {
  id: number;
  name: string;
  done: boolean;
}

/** At most this many items: the store is shared by every page, so it must not grow without bound. */
export const MAX_ITEMS = 100;

export type ItemInput = { ok: true; value: { name: string; done: boolean } } | { ok: false; problem: string };

/** Checks a decoded JSON body: an object with a non-empty "name" string and an optional boolean "done". */
export function itemInput(body: unknown): ItemInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, problem: 'want a JSON object' };
  const { name, done, ...extra } = body as Record<string, unknown>;
  if (Object.keys(extra).length > 0) return { ok: false, problem: `unknown field "${Object.keys(extra)[0]}"` };
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
    return { ok: false, problem: '"name" must be a string of 1 to 200 characters' };
  }
  if (done !== undefined && typeof done !== 'boolean') return { ok: false, problem: '"done" must be true or false' };
  return { ok: true, value: { name, done: done ?? false } };
}

export class ItemStore {
  private readonly items = new Map<number, Item>();
  private nextId = 1;

  constructor(seed: readonly string[] = ['learn HTTP', 'read the bytes']) {
    for (const name of seed) this.create({ name, done: false });
  }

  get size(): number {
    return this.items.size;
  }

  list(): Item[] {
    return [...this.items.values()];
  }

  get(id: number): Item | undefined {
    return this.items.get(id);
  }

  /** Null when the store is full. */
  create(input: { name: string; done: boolean }): Item | null {
    if (this.items.size >= MAX_ITEMS) return null;
    const item = { id: this.nextId++, ...input };
    this.items.set(item.id, item);
    return item;
  }

  update(id: number, input: { name: string; done: boolean }): Item | undefined {
    if (!this.items.has(id)) return undefined;
    const item = { id, ...input };
    this.items.set(id, item);
    return item;
  }

  delete(id: number): boolean {
    return this.items.delete(id);
  }
}
