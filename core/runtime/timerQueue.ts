// The runtime's timers: a binary min-heap ordered by deadline (ties by creation order), with O(log n) removal.

export class RuntimeTimer {
  /** Position in the heap; -1 when not scheduled. */
  index = -1;
  constructor(
    public when: number,
    readonly seq: number,
    public fire: () => void,
  ) {}
}

export class TimerQueue {
  private readonly heap: RuntimeTimer[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): RuntimeTimer | undefined {
    return this.heap[0];
  }

  push(t: RuntimeTimer): void {
    t.index = this.heap.length;
    this.heap.push(t);
    this.up(t.index);
  }

  pop(): RuntimeTimer | undefined {
    const top = this.heap[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** Removes a scheduled timer; false when it was not scheduled (already fired or stopped). */
  remove(t: RuntimeTimer): boolean {
    const i = t.index;
    if (i < 0 || this.heap[i] !== t) return false;
    const last = this.heap.pop()!;
    t.index = -1;
    if (last !== t) {
      this.heap[i] = last;
      last.index = i;
      this.down(i);
      this.up(last.index);
    }
    return true;
  }

  clear(): void {
    for (const t of this.heap) t.index = -1;
    this.heap.length = 0;
  }

  private less(a: RuntimeTimer, b: RuntimeTimer): boolean {
    return a.when < b.when || (a.when === b.when && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l], h[m])) m = l;
      if (r < h.length && this.less(h[r], h[m])) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(i: number, j: number): void {
    const h = this.heap;
    const a = h[i];
    h[i] = h[j];
    h[j] = a;
    a.index = j;
    h[i].index = i;
  }
}
