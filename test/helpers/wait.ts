/** Polls `find` (it may ask the database) until it returns something other than undefined or false. */
export async function waitFor<T>(
  find: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = 'a condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
