/** Retries `work` with exponential backoff and jitter; rethrows the last error. */
export async function retry<T>(
  work: () => Promise<T>,
  options: { attempts: number; baseMs: number },
): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < options.attempts; attempt++) {
    try {
      return await work();
    } catch (error) {
      lastError = error;
      if (attempt + 1 < options.attempts) {
        const wait = options.baseMs * 2 ** attempt * (0.5 + Math.random());
        await delay(wait);
      }
    }
  }
  throw lastError;
}

/** Resolves after `ms`; does not keep the process alive on its own. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Backoff for a failed delivery: from 5 seconds, doubling, up to `maxMs`. */
export function retryDelay(attempts: number, maxMs: number): number {
  return Math.min(5_000 * 2 ** attempts, maxMs);
}
