import { describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { slackManifest } from '../../src/platforms/slack/manifest.ts';

describe('the Slack manifest', () => {
  it('registers every command of the registry, under SLACK_COMMAND_PREFIX when one is set', () => {
    const names = (prefix?: string) =>
      slackManifest(registry, prefix ? { prefix } : {}).features.slash_commands.map(
        (command) => command.command,
      );
    expect(names()).toEqual(registry.map((command) => `/${command.name}`));
    expect(names('cb-')).toEqual(registry.map((command) => `/cb-${command.name}`));
    expect(names('cb-')).toContain('/cb-vote');
  });
});
