import type { z } from 'zod';
import type { Permission } from '../domain/authorization.ts';
import type { Actor, Db } from '../domain/tx.ts';
import type { Platform } from '../generated/prisma/enums.ts';
import type { View } from '../messages.ts';
import type { CountryGroups } from '../sanctions/mirror.ts';
import type { ProgramCatalogue } from '../sanctions/programs.ts';

export type CommandContext = {
  db: Db;
  actor: Actor;
  platform: Platform;
  /**
   * Where the command was typed; absent on the console. `threadId`: the thread it was typed in,
   * where the platform says (a Slack thread's ts; a Discord thread is a channel of its own).
   */
  channel?: { workspaceId: string; channelId: string; threadId?: string };
  now: () => Date;
  pageSize: number;
  programs: ProgramCatalogue;
  registry: Registry;
  /** Named country groups for statistics (COUNTRY_GROUPS_FILE). */
  countryGroups: CountryGroups;
};

export type OptionsSchema = z.ZodObject<Record<string, z.ZodType>>;

export type LeafCommand<S extends OptionsSchema = OptionsSchema> = {
  name: string;
  description: string;
  permission: Permission;
  /** What the member was trying to do, for refusals: "propose targets". */
  action: string;
  options: S;
  /** The option that bare text after the command fills: `/propose Chen Quanguo`. */
  primary?: Extract<keyof S['shape'], string>;
  /**
   * The number option a bare first number fills, before `primary` takes the rest:
   * `/vote 1 3>1>2` (poll 1), `/case note 3 Called the desk officer` (case 3).
   */
  leading?: Extract<keyof S['shape'], string>;
  /**
   * Options known from where the command is typed, for those not given: in a case's Discord
   * thread, `/case note Called them` is about that case.
   */
  context?: (ctx: CommandContext) => Promise<Partial<Record<Extract<keyof S['shape'], string>, unknown>>>;
  examples?: string[];
  /** Run with no options, it opens a form where the platform has them (Slack and Discord modals). */
  form?: boolean;
  run(input: z.output<S>, ctx: CommandContext): Promise<View>;
};

export type CommandGroup = {
  name: string;
  description: string;
  subcommands: LeafCommand[];
  /** Typed text whose first word is no subcommand runs this one: `/mirror Zhu Hailun`. */
  defaultSubcommand?: string;
};

export type Command = LeafCommand | CommandGroup;

export type Registry = readonly Command[];

export function defineCommand<S extends OptionsSchema>(spec: LeafCommand<S>): LeafCommand {
  return spec as unknown as LeafCommand;
}

export function defineGroup(spec: CommandGroup): CommandGroup {
  return spec;
}

export function isGroup(command: Command): command is CommandGroup {
  return 'subcommands' in command;
}
