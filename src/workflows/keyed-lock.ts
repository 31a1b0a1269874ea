import { KeyedLock } from '../lib/keyed-lock.js';

export { KeyedLock };

const processLock = new KeyedLock();

/** The process-wide keyed lock that pushReport uses. */
export function withKeyLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  return processLock.run(key, fn);
}
