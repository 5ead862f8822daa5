import { isGroup, type Registry } from '../../chat/command.ts';
import { describeOptions } from '../../chat/dispatch.ts';

export type ManifestOptions = {
  /** Public base URL for HTTP mode (requests go to <url>/slack/events); omit for Socket Mode. */
  url?: string;
  name?: string;
  /** SLACK_COMMAND_PREFIX: `cb-` registers /cb-vote, /cb-help, ... */
  prefix?: string;
};

/** A Slack app manifest generated from the command registry: paste it at api.slack.com/apps. */
export function slackManifest(registry: Registry, options: ManifestOptions = {}) {
  const events = options.url ? `${options.url.replace(/\/+$/, '')}/slack/events` : undefined;
  const name = options.name ?? 'Coalition Bot';
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Propose sanctions targets, prioritize them together, follow OFAC designations.',
      background_color: '#1d3557',
    },
    features: {
      bot_user: { display_name: name.toLowerCase().replace(/\s+/g, '-'), always_online: true },
      // Each member's desk: cases, polls to vote in, designations to confirm, their targets.
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      slash_commands: registry.map((command) => ({
        command: `/${options.prefix ?? ''}${command.name}`,
        description: command.description.slice(0, 100),
        usage_hint: usageHint(command).slice(0, 100),
        // Slack then sends mentions as <@U123|name> (not display text), which /member add relies on.
        should_escape: true,
        ...(events ? { url: events } : {}),
      })),
    },
    oauth_config: {
      // Least privilege: slash commands, posting in channels the bot has been invited to,
      // uploading poll result charts there, and reading the messages of those channels for files
      // shared in case threads (evidence), and those files.
      scopes: {
        bot: [
          'commands',
          'chat:write',
          'files:write',
          'im:write',
          'channels:history',
          'groups:history',
          'files:read',
          'app_mentions:read',
        ],
      },
    },
    settings: {
      event_subscriptions: {
        ...(events ? { request_url: events } : {}),
        bot_events: [
          'app_home_opened',
          'app_mention',
          'app_uninstalled',
          'tokens_revoked',
          'message.channels',
          'message.groups',
        ],
      },
      interactivity: { is_enabled: true, ...(events ? { request_url: events } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !events,
      token_rotation_enabled: false,
    },
  };
}

function usageHint(command: Registry[number]): string {
  if (isGroup(command)) return command.subcommands.map((sub) => sub.name).join(' | ');
  const options = describeOptions(command);
  const primary = options.find((option) => option.primary);
  const rest = options.filter((option) => !option.primary).map((option) => `${option.name}:`);
  return [primary ? `[${primary.name}]` : '', ...rest].filter(Boolean).join(' ');
}
