import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type BotProcess = {
  child: ReturnType<typeof spawn>;
  /** Exit code once the process has ended (null when killed by a signal it did not handle). */
  exited: Promise<number | null>;
  out(): string;
  err(): string;
  /** Resolves once standard output contains `text`. */
  printed(text: string): Promise<void>;
};

/**
 * Runs the real entry point as `npm start` does (the compiled bundle in dist/, built by the global
 * set-up), with a clean environment.
 * `stdin`: written then closed; undefined keeps standard input open.
 */
export function startBot(options: {
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** dist/main.js (the bot, by default) or dist/cli.js. */
  program?: 'main' | 'cli';
  args?: string[];
  /** Runs under `ulimit -f` (in KiB): a write past this size fails, as on a full disk. */
  fileSizeLimitKb?: number;
}): BotProcess {
  const node = [process.execPath, `dist/${options.program ?? 'main'}.js`, ...(options.args ?? [])];
  const [command, ...args] =
    options.fileSizeLimitKb === undefined
      ? node
      : ['bash', '-c', `ulimit -f ${options.fileSizeLimitKb} && exec "$0" "$@"`, ...node];
  const child = spawn(command as string, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CONSOLE_USER: 'tester',
      OFAC_CHECK_CRON: 'off',
      ...options.env,
    },
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of waiters.filter((item) => stdout.includes(item.text))) waiter.resolve();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  if (options.stdin !== undefined) child.stdin.end(options.stdin);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    exited,
    out: () => stdout,
    err: () => stderr,
    printed: (text) =>
      stdout.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve })),
  };
}
