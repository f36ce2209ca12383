/** Ordering of a queued item: higher `priority` first, then lower `sequence` (FIFO). */
export interface QueueOrder {
  /** Higher runs first. */
  readonly priority: number;
  /** Arrival number; lower runs first among equal priorities. */
  readonly sequence: number;
}

interface Node<T> {
  readonly item: T;
  readonly priority: number;
  readonly sequence: number;
  live: boolean;
}

/** A ticket for a queued item, to remove it before it is taken. */
export interface QueueTicket {
  /** Whether the item is still waiting in the queue. */
  readonly live: boolean;
}

const before = <T>(a: Node<T>, b: Node<T>): boolean =>
  a.priority !== b.priority ? a.priority > b.priority : a.sequence < b.sequence;

/**
 * A priority queue (binary heap) with lazy removal: {@link TaskQueue.remove} marks the item and
 * the heap drops it when it reaches the top. `size` counts only live items.
 */
export class TaskQueue<T> {
  readonly #heap: Node<T>[] = [];
  #live = 0;

  /** Live items waiting. */
  get size(): number {
    return this.#live;
  }

  /**
   * Adds an item.
   *
   * @returns a ticket for {@link TaskQueue.remove} and {@link TaskQueue.positionOf}.
   */
  push(item: T, order: QueueOrder): QueueTicket {
    const node: Node<T> = { item, priority: order.priority, sequence: order.sequence, live: true };
    const heap = this.#heap;
    heap.push(node);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(node, heap[parent]!)) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = node;
    this.#live++;
    return node;
  }

  /** The next item without taking it. */
  peek(): T | undefined {
    this.#dropDead();
    return this.#heap[0]?.item;
  }

  /** Takes the next item. */
  pop(): T | undefined {
    this.#dropDead();
    const top = this.#heap[0];
    if (top === undefined) return undefined;
    this.#removeTop();
    top.live = false;
    this.#live--;
    return top.item;
  }

  /**
   * Removes a waiting item.
   *
   * @returns whether it was still waiting.
   */
  remove(ticket: QueueTicket): boolean {
    const node = ticket as Node<T>;
    if (!node.live) return false;
    node.live = false;
    this.#live--;
    return true;
  }

  /** How many live items come before this one (0 = next). O(n). */
  positionOf(ticket: QueueTicket): number {
    const node = ticket as Node<T>;
    if (!node.live) return -1;
    let position = 0;
    for (const other of this.#heap) if (other.live && before(other, node)) position++;
    return position;
  }

  #dropDead(): void {
    while (this.#heap.length > 0 && !this.#heap[0]!.live) this.#removeTop();
  }

  #removeTop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let index = 0;
    const length = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
  }
}
