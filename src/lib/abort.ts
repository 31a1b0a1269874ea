/** Resolves with the abort reason (for the CLI's stop signal: the signal's name) once `signal` aborts. */
export function untilAborted(signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(String(signal.reason));
    else signal.addEventListener('abort', () => resolve(String(signal.reason)), { once: true });
  });
}
