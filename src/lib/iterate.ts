/**
 * `first`, then what `rest` still yields, as one iterable: for an input whose first value was read ahead (to tell
 * an empty pipe from a quiet one) and must not be lost. Leaving it early closes `rest`.
 */
export function withFirst<T>(first: T, rest: AsyncIterator<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => {
      let pending: { value: T } | undefined = { value: first };
      return {
        next: async () => {
          if (pending) {
            const { value } = pending;
            pending = undefined;
            return { done: false, value };
          }
          return rest.next();
        },
        return: async () => (await rest.return?.(undefined)) ?? { done: true, value: undefined },
      };
    },
  };
}
