import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { App } from '../../app.ts';
import { findCommand, toInvocation } from '../../chat/dispatch.ts';
import type { ChatPlatform } from '../../chat/platform.ts';
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
  const platform = consolePlatform(write);

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
        await answer(line);
      }
      if (interactive) lines.prompt();
    }
    lines.close();
  })();

  async function answer(line: string): Promise<void> {
    try {
      const invocation = toInvocation(app.registry, parseCommandLine(line));
      // A bare form command (/propose alone) opens its form on Slack and Discord.
      if (/^\/\S+$/.test(line) && findCommand(app.registry, invocation)?.form) {
        await platform.openForm(undefined, { form: 'propose' });
        return;
      }
      await platform.answer(undefined, await app.execute(invocation, actor, 'console'));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      await platform.answer(undefined, errorView('Could not read that command', error.message));
    }
  }

  return { done, stop: () => lines.close() };
}

/**
 * The console as a chat platform: one person at a terminal, every answer printed in place, posts
 * printed with the channel they are for. There is no window to answer within and no form to open.
 */
export function consolePlatform(write: (text: string) => void): ChatPlatform<undefined> {
  let next = 1;
  const where = (channelId: string, threadId?: string) =>
    threadId ? `[#${channelId}, thread ${threadId}]` : `[#${channelId}]`;
  return {
    name: 'console',
    async post(channelId, view, threadId) {
      write(`${where(channelId, threadId)}\n${renderForConsole(view)}`);
      return `console-${next++}`;
    },
    async edit(channelId, messageId, view) {
      write(`${where(channelId)} message ${messageId} now reads:\n${renderForConsole(view)}`);
    },
    async startThread(_channelId, messageId) {
      return messageId;
    },
    async upload(channelId, files, threadId) {
      for (const file of files)
        write(
          `${where(channelId, threadId)} file ${file.filename} (${file.data.length} bytes, ${file.contentType})`,
        );
    },
    async answer(_turn, view) {
      write(renderForConsole(view));
    },
    async defer() {},
    async openForm(_turn, form) {
      // No menus at a terminal: a ballot prints its options and how to type it.
      if (form.form === 'ballot') {
        write(renderForConsole(form.view));
        return;
      }
      write(
        renderForConsole({
          kind: 'notice',
          tone: 'info',
          title: 'The form opens in Slack and Discord',
          lines: [`Here, type the options: /help ${form.form} shows them.`],
          ephemeral: true,
        }),
      );
    },
  };
}
