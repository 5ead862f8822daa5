import { registry } from '../../../commands/index.ts';
import { slackManifest } from './manifest.ts';

/** `npm run slack:manifest [-- --url https://bot.example.org] [--name "Coalition Bot"]` */
const args = process.argv.slice(2);
const flag = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const url = flag('url');
const name = flag('name');
process.stdout.write(
  `${JSON.stringify(slackManifest(registry, { ...(url ? { url } : {}), ...(name ? { name } : {}) }), null, 2)}\n`,
);
