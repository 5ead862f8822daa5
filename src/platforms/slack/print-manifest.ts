import { registry } from '../../../commands/index.ts';
import { slackManifest } from './manifest.ts';

/**
 * `npm run slack:manifest [-- --url https://bot.example.org] [--name "Coalition Bot"] [--prefix cb-]`;
 * the prefix defaults to SLACK_COMMAND_PREFIX.
 */
const args = process.argv.slice(2);
const flag = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const url = flag('url');
const name = flag('name');
const prefix = flag('prefix') ?? process.env.SLACK_COMMAND_PREFIX;
if (prefix !== undefined && !/^[a-z][a-z0-9_-]{0,11}$/.test(prefix)) {
  process.stderr.write('--prefix: lowercase letters, digits, - or _, such as cb-\n');
  process.exit(1);
}
process.stdout.write(
  `${JSON.stringify(
    slackManifest(registry, {
      ...(url ? { url } : {}),
      ...(name ? { name } : {}),
      ...(prefix ? { prefix } : {}),
    }),
    null,
    2,
  )}\n`,
);
