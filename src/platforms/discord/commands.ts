import type {
  APIApplicationCommandBasicOption,
  APIApplicationCommandOption,
  RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { isGroup, type LeafCommand, type Registry } from '../../chat/command.ts';
import { describeOptions, type OptionDoc } from '../../chat/dispatch.ts';
import { truncate } from './escape.ts';

const OPTION = { SUB_COMMAND: 1, STRING: 3, INTEGER: 4, BOOLEAN: 5, USER: 6, ATTACHMENT: 11 } as const;

/** Application commands generated from the registry: one per command, subcommands for groups. */
export function discordCommands(registry: Registry): RESTPutAPIApplicationCommandsJSONBody {
  return registry.map((command) => ({
    name: command.name,
    description: truncate(command.description, 100),
    type: 1,
    dm_permission: false,
    options: isGroup(command)
      ? command.subcommands.map(
          (sub): APIApplicationCommandOption => ({
            type: OPTION.SUB_COMMAND,
            name: sub.name,
            description: truncate(sub.description, 100),
            options: leafOptions(sub),
          }),
        )
      : leafOptions(command),
  }));
}

function leafOptions(command: LeafCommand): APIApplicationCommandBasicOption[] {
  // A form command runs with no options (it opens a modal), so none of its options can be required.
  const options = describeOptions(command)
    .map((option) => (command.form ? { ...option, required: false } : option))
    .map(toDiscordOption);
  // Discord requires required options before optional ones.
  return [...options.filter((option) => option.required), ...options.filter((option) => !option.required)];
}

function toDiscordOption(option: OptionDoc): APIApplicationCommandBasicOption {
  const base = {
    name: option.name,
    description: truncate(option.description || option.name, 100),
    required: option.required,
  };
  if (option.chatUser) return { ...base, type: OPTION.USER };
  if (option.attachment) return { ...base, type: OPTION.ATTACHMENT };
  if (option.type === 'boolean') return { ...base, type: OPTION.BOOLEAN };
  if (option.type === 'integer') {
    return option.autocomplete
      ? { ...base, type: OPTION.INTEGER, min_value: 1, autocomplete: true }
      : { ...base, type: OPTION.INTEGER, min_value: 1 };
  }
  if (option.choices && option.choices.length <= 25) {
    return {
      ...base,
      type: OPTION.STRING,
      choices: option.choices.map((choice) => ({ name: choice, value: choice })),
    };
  }
  return option.autocomplete
    ? { ...base, type: OPTION.STRING, autocomplete: true }
    : { ...base, type: OPTION.STRING, max_length: 6000 };
}
