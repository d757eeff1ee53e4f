/**
 * The simulator's clock: a priority queue of callbacks ordered by (time, insertion order), so
 * events at the same instant run in the order they were scheduled and every run replays.
 */

interface Item {
  time: number;
  seq: number;
  fn: () => void;
}

/** A min-heap of timed callbacks. */
export class EventQueue {
  private heap: Item[] = [];
  private seq = 0;
  now = 0;

  /** Runs `fn` at now + delay (delay >= 0). */
  after(delay: number, fn: () => void): void {
    this.push({ time: this.now + Math.max(0, delay), seq: this.seq++, fn });
  }

  get size(): number {
    return this.heap.length;
  }

  /** Runs events until the queue is empty or the next one is after `until`; returns events run. */
  runUntil(until: number, stop: () => boolean = () => false): number {
    let n = 0;
    while (this.heap.length > 0 && this.heap[0]!.time <= until) {
      if (stop()) break;
      const item = this.pop();
      this.now = item.time;
      item.fn();
      n++;
    }
    if (!stop()) this.now = Math.max(this.now, until);
    return n;
  }

  private less(a: Item, b: Item): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private push(item: Item): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Item {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
