import { REST, Routes } from 'discord.js';
import type { Registry } from '../../chat/command.ts';
import { discordCommands } from './commands.ts';

export type RegisterOptions = {
  token: string;
  applicationId: string;
  guildId?: string | undefined;
  apiUrl?: string | undefined;
};

/**
 * Bulk-overwrites the application's commands with the registry's, so renamed or removed commands
 * disappear. A guild registration is instant; a global one can take up to an hour to show.
 */
export async function registerCommands(registry: Registry, options: RegisterOptions) {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const body = discordCommands(registry);
  const result = (await rest.put(route, { body })) as unknown[];
  return { scope: options.guildId ? `server ${options.guildId}` : 'global', count: result.length };
}
