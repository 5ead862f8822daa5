import { z } from 'zod';
import { isDatabaseUnavailable } from '../db/client.ts';
import { can, describeAllowedRoles } from '../domain/authorization.ts';
import { ForbiddenError, UserError } from '../domain/errors.ts';
import type { Logger } from '../log.ts';
import { databaseUnavailableView, errorView, type Invocation, type View } from '../messages.ts';
import { type CommandContext, isGroup, type LeafCommand, type Registry } from './command.ts';
import type { RateLimiter } from './rate-limit.ts';
import { RefusalAudit } from './refusal-audit.ts';
import { CommandSyntaxError, type ParsedLine } from './syntax.ts';

export function findCommand(registry: Registry, invocation: Pick<Invocation, 'command' | 'subcommand'>) {
  const command = registry.find((candidate) => candidate.name === invocation.command);
  if (!command) return undefined;
  if (!isGroup(command)) return command;
  return command.subcommands.find((sub) => sub.name === invocation.subcommand);
}

export function commandPath(command: string, subcommand?: string): string {
  return subcommand ? `/${command} ${subcommand}` : `/${command}`;
}

/** Turns a parsed text line into an invocation: the first bare word picks a subcommand of a group. */
export function toInvocation(registry: Registry, line: ParsedLine): Invocation {
  const command = registry.find((candidate) => candidate.name === line.command);
  const words = [...line.words];
  const named = (word: string | undefined) =>
    command && isGroup(command) && command.subcommands.some((sub) => sub.name === word?.toLowerCase());
  const subcommand =
    command && isGroup(command)
      ? command.defaultSubcommand && !named(words[0])
        ? command.defaultSubcommand
        : words.shift()?.toLowerCase()
      : undefined;
  const options: Record<string, unknown> = {};
  for (const { key, value } of line.options) {
    if (key in options) {
      throw new CommandSyntaxError(`The option ${key}: is given twice; give it once (lists use ; or ,).`);
    }
    options[key] = value;
  }
  return {
    command: line.command,
    ...(subcommand ? { subcommand } : {}),
    options,
    ...(words.length > 0 ? { text: words.join(' ') } : {}),
  };
}

export type ExecuteDeps = { logger: Logger; writes?: RateLimiter; refusals?: RefusalAudit };

/** Read-only permissions; every other command writes and counts against the member's rate limit. */
const isRead = (permission: string) => permission.endsWith('.view');

/** An attempt refused by role or by case membership leaves a trace: who tried what, as what role. */
async function auditRefusal(ctx: CommandContext, path: string, reason: string, deps: ExecuteDeps) {
  const refusals = deps.refusals ?? new RefusalAudit(deps.logger, 0);
  await refusals.record(ctx.db, {
    actorMemberId: ctx.actor.memberId,
    path,
    role: ctx.actor.role,
    platform: ctx.platform,
    reason,
  });
}

/**
 * Runs one invocation for one actor: finds the command, checks the authorization matrix, validates the
 * options with the command's schema, runs it. Every failure becomes an error view; nothing throws.
 */
export async function executeCommand(
  invocation: Invocation,
  ctx: CommandContext,
  deps: ExecuteDeps,
): Promise<View> {
  const resolved = resolve(ctx.registry, invocation);
  if ('kind' in resolved) return resolved;
  const { command, path } = resolved;
  // Refused attempts count too: the limit is on what a member sends, not on what succeeds.
  // The console is the operator's own terminal (scripts pipe bulk work into it): not limited.
  if (deps.writes && ctx.platform !== 'console' && !isRead(command.permission)) {
    const key = String(ctx.actor.memberId);
    const now = ctx.now().getTime();
    if (!deps.writes.take(key, now)) {
      deps.logger.warn({ command: path, member: ctx.actor.memberId }, 'write rate limit reached');
      return errorView(
        'Slow down',
        `You have sent many changes in the last minute; try again in ${deps.writes.retryAfter(key, now)} seconds. Nothing was saved.`,
      );
    }
  }
  if (!can(ctx.actor.role, command.permission)) {
    deps.logger.info({ command: path, member: ctx.actor.memberId }, 'command refused by role');
    await auditRefusal(ctx, path, 'role', deps);
    return errorView(
      'Not allowed',
      `Only ${describeAllowedRoles(command.permission)} can ${command.action}; you are ${ctx.actor.role}.`,
    );
  }
  const bound = bindOptions(command, path, invocation);
  if (!bound.ok) return bound.error;
  const raw = bound.options;
  if (command.context)
    for (const [key, value] of Object.entries(await command.context(ctx)))
      if (raw[key] === undefined && value !== undefined) raw[key] = value;
  const parsed = command.options.safeParse(raw);
  if (!parsed.success) return validationError(path, parsed.error, raw);
  try {
    return await command.run(parsed.data, ctx);
  } catch (error) {
    if (error instanceof ForbiddenError) {
      await auditRefusal(ctx, path, 'not on the case team or not allowed for this record', deps);
      return errorView('Not allowed', error.message);
    }
    if (error instanceof UserError) return errorView(`${path} could not be completed`, error.message);
    if (isDatabaseUnavailable(error)) {
      deps.logger.error({ command: path, err: errorCode(error) }, 'database unavailable');
      return databaseUnavailableView();
    }
    deps.logger.error(
      { command: path, member: ctx.actor.memberId, err: error instanceof Error ? error.name : 'unknown' },
      'command failed',
    );
    deps.logger.debug({ err: error }, 'command failure detail');
    return errorView(
      `${path} failed`,
      'Something went wrong on our side; nothing was saved. Please try again.',
    );
  }
}

function errorCode(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return typeof code === 'string' ? code : typeof name === 'string' ? name : 'unknown';
}

function resolve(registry: Registry, invocation: Invocation): { command: LeafCommand; path: string } | View {
  const top = registry.find((candidate) => candidate.name === invocation.command);
  if (!top) {
    return errorView(`Unknown command /${invocation.command}`, 'Type /help to see the commands.');
  }
  if (!isGroup(top)) return { command: top, path: `/${top.name}` };
  const names = top.subcommands.map((sub) => sub.name).join(', ');
  const sub = top.subcommands.find((candidate) => candidate.name === invocation.subcommand);
  if (!sub) {
    const said = invocation.subcommand ? `"${invocation.subcommand}" is not a /${top.name} command. ` : '';
    return errorView(`/${top.name} needs a subcommand`, `${said}Use one of: ${names}.`);
  }
  return { command: sub, path: commandPath(top.name, sub.name) };
}

type Bound = { ok: true; options: Record<string, unknown> } | { ok: false; error: View };

function bindOptions(command: LeafCommand, path: string, invocation: Invocation): Bound {
  const known = Object.keys(command.options.shape);
  const unknown = Object.keys(invocation.options).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    return fail(
      `Unknown option for ${path}`,
      `${path} has no option ${unknown.map((key) => `${key}:`).join(', ')}.`,
      known.length > 0
        ? `Its options are: ${known.map((key) => `${key}:`).join(' ')}`
        : `${path} takes no options.`,
    );
  }
  const options = { ...invocation.options };
  let text = invocation.text?.trim() ?? '';
  const leading = command.leading ? /^#?(\d{1,9})(?:\s+|$)/.exec(text) : null;
  if (command.leading && leading && options[command.leading] === undefined) {
    options[command.leading] = leading[1];
    text = text.slice(leading[0].length).trim();
  }
  if (text !== '') {
    if (!command.primary) {
      return fail(
        `${path} does not take free text`,
        `Give options as name:value. Type /help ${path.slice(1)} for details.`,
      );
    }
    if (options[command.primary] !== undefined) {
      return fail(
        `${command.primary} is given twice`,
        `Give the ${command.primary} either as free text or as ${command.primary}:..., not both.`,
      );
    }
    options[command.primary] = text;
  }
  return { ok: true, options };
}

function fail(title: string, ...lines: string[]): Bound {
  return { ok: false, error: errorView(title, ...lines) };
}

function validationError(path: string, error: z.ZodError, raw: Record<string, unknown>): View {
  const fields: Record<string, string> = {};
  const lines = error.issues.map((issue) => {
    const option = issue.path[0];
    const missing = issue.path.length === 1 && typeof option === 'string' && raw[option] === undefined;
    const message = missing ? 'is required.' : issue.message;
    if (typeof option !== 'string') return message;
    fields[option] ??= missing ? 'This is required.' : message;
    return `${option}: ${message}`;
  });
  return {
    ...errorView(`${path}: please check the options`, ...lines, `Type /help ${path.slice(1)} for details.`),
    fields,
  };
}

export type OptionDoc = {
  name: string;
  description: string;
  required: boolean;
  primary: boolean;
  type: string;
  choices?: string[];
  /** Platforms offer suggestions from this list as the member types. */
  autocomplete?: 'target' | 'organization' | 'case';
  /** A chat user of the platform the command runs on (Discord's user picker). */
  chatUser?: boolean;
  /** A file the member attaches (Discord's attachment option). */
  attachment?: boolean;
  maxLength?: number;
};

/** Option docs for help and for platform registration, read from the command's zod schema. */
export function describeOptions(command: LeafCommand): OptionDoc[] {
  const json = z.toJSONSchema(command.options, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<
      string,
      {
        description?: string;
        enum?: string[];
        type?: string;
        autocomplete?: 'target' | 'organization' | 'case';
        chatUser?: boolean;
        attachment?: boolean;
        maxLength?: number;
      }
    >;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    description: property.description ?? '',
    required: (json.required ?? []).includes(name),
    primary: command.primary === name,
    type: property.type ?? 'string',
    ...(property.enum ? { choices: property.enum } : {}),
    ...(property.autocomplete ? { autocomplete: property.autocomplete } : {}),
    ...(property.chatUser ? { chatUser: true } : {}),
    ...(property.attachment ? { attachment: true } : {}),
  }));
}
