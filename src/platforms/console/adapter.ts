import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { App } from '../../app.ts';
import { toInvocation } from '../../chat/dispatch.ts';
import { parseCommandLine } from '../../chat/syntax.ts';
import { UserError } from '../../domain/errors.ts';
import type { Actor } from '../../domain/tx.ts';
import { errorView } from '../../messages.ts';
import { renderForConsole } from './render.ts';

export type ConsoleOptions = {
  app: App;
  actor: Actor;
  input: Readable;
  output: Writable;
  /** A person at a terminal: show a prompt. Otherwise (piped script) echo each command before its answer. */
  interactive: boolean;
};

export type ConsoleSession = {
  /** Resolves when input ends or stop() is called, after the command in progress has finished. */
  done: Promise<void>;
  stop(): void;
};

const PROMPT = 'coalition> ';

export function startConsole(options: ConsoleOptions): ConsoleSession {
  const { app, actor, output, interactive } = options;
  const lines = createInterface({
    input: options.input,
    ...(interactive ? { output, terminal: true } : {}),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const write = (text: string) => output.write(`${text}\n`);

  const done = (async () => {
    if (interactive) {
      write('coalition-bot console. Type /help for commands, /exit or Ctrl-D to leave.');
      lines.setPrompt(PROMPT);
      lines.prompt();
    }
    // Lines are handled one at a time, in order: a piped script behaves like a person typing.
    for await (const raw of lines) {
      const line = raw.trim();
      if (line === '/exit' || line === '/quit') break;
      if (line !== '' && !line.startsWith('#')) {
        if (!interactive) write(`${PROMPT}${line}`);
        write(await answer(line));
      }
      if (interactive) lines.prompt();
    }
    lines.close();
  })();

  async function answer(line: string): Promise<string> {
    try {
      const invocation = toInvocation(app.registry, parseCommandLine(line));
      const view = await app.execute(invocation, actor, 'console');
      return renderForConsole(view);
    } catch (error) {
      if (error instanceof UserError)
        return renderForConsole(errorView('Could not read that command', error.message));
      throw error;
    }
  }

  return { done, stop: () => lines.close() };
}
