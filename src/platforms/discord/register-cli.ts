import { registry } from '../../../commands/index.ts';
import { loadConfig } from '../../config.ts';
import { operatorMessage } from '../../operator-errors.ts';
import { registerCommands } from './register.ts';

/** `npm run discord:register`: publishes the registry's commands to Discord (DISCORD_GUILD_ID or global). */
try {
  const config = loadConfig();
  if (!config.discord) throw new Error('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID to register commands.');
  const { scope, count } = await registerCommands(registry, config.discord);
  process.stdout.write(`Registered ${count} commands (${scope}).\n`);
} catch (error) {
  process.stderr.write(
    `coalition-bot: ${operatorMessage(error) ?? (error instanceof Error ? error.message : String(error))}\n`,
  );
  process.exit(1);
}
