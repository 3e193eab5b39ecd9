/**
 * The fake timers' queue: a binary min-heap ordered by due time, then creation order, that tells
 * each entry its position so a cleared timer can be removed in place. `peekBottom` is the heap's
 * last slot, which Node's runAll() uses as "the latest timer".
 */
export interface QueuedTimer {
  id: number;
  runAt: number;
  position?: number;
}

function compare(a: QueuedTimer, b: QueuedTimer): number {
  return a.runAt - b.runAt || a.id - b.id;
}

export class TimerQueue<T extends QueuedTimer> {
  // 1-based: the children of slot i are 2i and 2i + 1.
  #heap: Array<T | undefined> = [undefined];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  insert(timer: T): void {
    const position = ++this.#size;
    this.#heap[position] = timer;
    this.#up(position);
  }

  peek(): T | undefined {
    return this.#heap[1];
  }

  peekBottom(): T | undefined {
    return this.#heap[this.#size];
  }

  shift(): T | undefined {
    const first = this.#heap[1];
    if (first !== undefined) this.removeAt(1);
    return first;
  }

  removeAt(position: number): void {
    const heap = this.#heap;
    const size = --this.#size;
    heap[position] = heap[size + 1];
    heap[size + 1] = undefined;
    if (size > 0 && position <= size) {
      const parent = heap[position >> 1];
      if (position > 1 && parent && compare(parent, heap[position] as T) > 0) this.#up(position);
      else this.#down(position);
    }
  }

  #place(timer: T, position: number): void {
    this.#heap[position] = timer;
    timer.position = position;
  }

  #up(position: number): void {
    const heap = this.#heap;
    const timer = heap[position] as T;
    while (position > 1) {
      const parent = heap[position >> 1] as T;
      if (compare(parent, timer) <= 0) break;
      this.#place(parent, position);
      position >>= 1;
    }
    this.#place(timer, position);
  }

  #down(position: number): void {
    const heap = this.#heap;
    const size = this.#size;
    const timer = heap[position] as T;
    while (position <= size >> 1) {
      let child = position << 1;
      let childTimer = heap[child] as T;
      const next = heap[child + 1];
      if (child + 1 <= size && next && compare(next, childTimer) < 0) {
        child++;
        childTimer = next;
      }
      if (compare(timer, childTimer) <= 0) break;
      this.#place(childTimer, position);
      position = child;
    }
    this.#place(timer, position);
  }
}
