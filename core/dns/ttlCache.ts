// A resolver's cache: an answer is kept for its TTL and then forgotten, bounded in entries. Pure: the clock is
// injected (milliseconds), so tests move time by hand.
import type { Clock } from '../budget/rateBudget.js';

export interface CachedAnswer<V> {
  value: V;
  /** Whole seconds the answer may still be used (its TTL counted down). */
  ttlLeft: number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 256,
  ) {}

  /** The answer while its TTL lasts, else null (and it is forgotten). */
  get(key: string): CachedAnswer<V> | null {
    const e = this.entries.get(key);
    if (!e) return null;
    const left = e.expiresAt - this.clock();
    if (left <= 0) {
      this.entries.delete(key);
      return null;
    }
    return { value: e.value, ttlLeft: Math.ceil(left / 1000) };
  }

  /** Keeps an answer for `ttlSeconds`; a TTL of 0 means "do not cache" (RFC 1035 §3.2.1). */
  put(key: string, value: V, ttlSeconds: number): void {
    this.entries.delete(key);
    if (ttlSeconds <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: this.clock() + ttlSeconds * 1000 });
  }

  clear(): void {
    this.entries.clear();
  }
}
