/**
 * A set of positive whole numbers (record ids) in bounded memory, for de-duplicating long streams of ids.
 *
 * Ids are kept in pages of 65,536 consecutive ids: a page holds a short sorted list of offsets while it has few ids,
 * and becomes a bitmap (8 KB) once the list would be larger. Database ids are dense, so a million ids spread over ten
 * million cost about 1.2 MB, against some 20 MB in a `Set<number>`. Once the estimated size reaches `budgetBytes`,
 * the set is `full`: it still answers for the ids it holds, but remembers no new one (`add` says so), which keeps
 * memory bounded whatever the input.
 */
const PAGE_BITS = 16;
const PAGE_SIZE = 2 ** PAGE_BITS;
/** A page's list of offsets (8 bytes each in a JS array) turns into a bitmap beyond this many entries. */
const LIST_MAX = 1024;
const BITMAP_BYTES = PAGE_SIZE / 8;
/** Rough cost of a page in the map, whatever its kind. */
const PAGE_OVERHEAD = 96;

export const DEFAULT_ID_SET_BUDGET = 32 * 1024 * 1024;

type Page = number[] | Uint8Array;

export class IdSet {
  private readonly pages = new Map<number, Page>();
  /** The page keys in ascending order, made when a walk needs them (and dropped when a page is added). */
  private keys: number[] | undefined;
  private bytes = 0;
  private count = 0;
  /** The budget was reached: new ids are no longer remembered. */
  full = false;

  constructor(private readonly budgetBytes: number = DEFAULT_ID_SET_BUDGET) {}

  /** How many ids the set holds. */
  get size(): number {
    return this.count;
  }

  has(id: number): boolean {
    const page = this.pages.get(Math.floor(id / PAGE_SIZE));
    if (!page) return false;
    const offset = id % PAGE_SIZE;
    return page instanceof Uint8Array ? (page[offset >>> 3]! & (1 << (offset & 7))) !== 0 : search(page, offset) >= 0;
  }

  /**
   * Adds `id`: 'added', 'present' when the set already held it, or 'full' when it is not held and the set has no
   * room left to remember it.
   */
  add(id: number): 'added' | 'present' | 'full' {
    const key = Math.floor(id / PAGE_SIZE);
    const offset = id % PAGE_SIZE;
    let page = this.pages.get(key);
    if (page instanceof Uint8Array) {
      const bit = 1 << (offset & 7);
      if (page[offset >>> 3]! & bit) return 'present';
      page[offset >>> 3]! |= bit;
      this.count++;
      return 'added';
    }
    const at = page ? search(page, offset) : -1;
    if (at >= 0) return 'present';
    // A new id costs a list entry, a new page, or turns a long list into a bitmap: refused once over budget.
    const cost = !page ? PAGE_OVERHEAD + 8 : page.length >= LIST_MAX ? BITMAP_BYTES - page.length * 8 : 8;
    if (this.full || this.bytes + cost > this.budgetBytes) {
      this.full = true;
      return 'full';
    }
    this.bytes += cost;
    this.count++;
    if (!page) {
      page = [offset];
      this.pages.set(key, page);
      this.keys = undefined;
    } else if (page.length >= LIST_MAX) {
      const bitmap = new Uint8Array(BITMAP_BYTES);
      for (const each of page) bitmap[each >>> 3]! |= 1 << (each & 7);
      bitmap[offset >>> 3]! |= 1 << (offset & 7);
      this.pages.set(key, bitmap);
    } else {
      page.splice(-at - 1, 0, offset);
    }
    return 'added';
  }

  /** The smallest id in the set above `id`, or undefined. */
  nextAbove(id: number): number | undefined {
    const start = Math.max(0, Math.floor(id) + 1);
    const first = Math.floor(start / PAGE_SIZE);
    const keys = this.sortedKeys();
    for (let at = atLeast(keys, first); at < keys.length; at++) {
      const key = keys[at]!;
      const page = this.pages.get(key)!;
      const from = key === first ? start % PAGE_SIZE : 0;
      const offset = page instanceof Uint8Array ? nextBit(page, from) : page[atLeast(page, from)];
      if (offset !== undefined) return key * PAGE_SIZE + offset;
    }
    return undefined;
  }

  /** How many ids of the set lie in [from, to]. */
  countBetween(from: number, to: number): number {
    const low = Math.max(0, Math.ceil(from));
    const high = Math.floor(Math.min(to, Number.MAX_SAFE_INTEGER));
    if (high < low) return 0;
    const [firstKey, lastKey] = [Math.floor(low / PAGE_SIZE), Math.floor(high / PAGE_SIZE)];
    const keys = this.sortedKeys();
    let count = 0;
    for (let at = atLeast(keys, firstKey); at < keys.length && keys[at]! <= lastKey; at++) {
      const key = keys[at]!;
      const page = this.pages.get(key)!;
      const start = key === firstKey ? low % PAGE_SIZE : 0;
      const end = key === lastKey ? high % PAGE_SIZE : PAGE_SIZE - 1;
      count += page instanceof Uint8Array ? countBits(page, start, end) : atLeast(page, end + 1) - atLeast(page, start);
    }
    return count;
  }

  private sortedKeys(): number[] {
    this.keys ??= [...this.pages.keys()].sort((a, b) => a - b);
    return this.keys;
  }
}

/** The index of the first value >= `value` in a sorted list (its length when there is none). */
function atLeast(list: number[], value: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first set bit at or after `from`, or undefined. */
function nextBit(bitmap: Uint8Array, from: number): number | undefined {
  let index = from >>> 3;
  let byte = bitmap[index]! & (0xff << (from & 7));
  while (byte === 0) {
    if (++index >= bitmap.length) return undefined;
    byte = bitmap[index]!;
  }
  return index * 8 + (31 - Math.clz32(byte & -byte));
}

/** The set bits in [start, end]. */
function countBits(bitmap: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (let bit = start; bit <= end; ) {
    if ((bit & 7) === 0 && bit + 7 <= end) {
      let byte = bitmap[bit >>> 3]!;
      for (; byte; count++) byte &= byte - 1;
      bit += 8;
    } else {
      if (bitmap[bit >>> 3]! & (1 << (bit & 7))) count++;
      bit++;
    }
  }
  return count;
}

/** Binary search in a sorted list: the index of `value`, or -(insertion point) - 1. */
function search(list: number[], value: number): number {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = list[middle]!;
    if (found === value) return middle;
    if (found < value) low = middle + 1;
    else high = middle - 1;
  }
  return -low - 1;
}
