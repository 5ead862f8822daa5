import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  type CommandInteractionOption,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  Routes,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { App } from '../../app.ts';
import { decodeAction } from '../../chat/actions.ts';
import { ballotForm } from '../../chat/ballot-form.ts';
import { resultChart } from '../../chat/chart.ts';
import { describeOptions, findCommand } from '../../chat/dispatch.ts';
import { admit, BootstrapAdmins, identify, joinInstructions } from '../../chat/identity.ts';
import {
  answerInTime,
  type ChatFile,
  type ChatPlatform,
  filesOf,
  type Outcome,
  postingLoops,
} from '../../chat/platform.ts';
import type { DiscordConfig } from '../../config.ts';
import { isDatabaseUnavailable } from '../../db/client.ts';
import { suggestCases } from '../../domain/cases/details.ts';
import { claimDelivery, loadPendingAction, storePendingAction } from '../../domain/deliveries.ts';
import { UserError } from '../../domain/errors.ts';
import type { ReceivedFile } from '../../domain/evidence-files.ts';
import type { PlatformUser } from '../../domain/members.ts';
import { suggestOrganizations } from '../../domain/organizations.ts';
import { pollDetails } from '../../domain/polls/details.ts';
import { suggestTargets } from '../../domain/targets.ts';
import type { Actor } from '../../domain/tx.ts';
import {
  databaseUnavailableView,
  errorView,
  type Invocation,
  isEphemeral,
  type View,
} from '../../messages.ts';
import { truncate } from './escape.ts';
import { PROPOSE_MODAL, proposeModal, proposeOptions, REOPEN_PREFIX, readModalValues } from './modal.ts';
import { type DiscordMessage, parseActionId, readBallotMenus, renderForDiscord } from './render.ts';

/**
 * Discord wants an answer within 3 seconds; past this the reply is deferred and edited later. 700 ms,
 * as on Slack: under a burst the first answer stays well inside the window.
 */
const REPLY_BUDGET_MS = 700;
const NO_MENTIONS = { parse: [] as never[] };

export type DiscordAdapter = { start(): Promise<void>; stop(): Promise<void> };

export function createDiscordAdapter(app: App, config: DiscordConfig): DiscordAdapter {
  const db = app.database.prisma;
  const logger = app.logger.child({ platform: 'discord' });
  const admins = new BootstrapAdmins(config.adminUserIds);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // Nothing the bot sends may ping anyone unless a message opts in explicitly.
    allowedMentions: NO_MENTIONS,
    rest: config.apiUrl ? { api: config.apiUrl } : {},
  });

  /** A message with files: an embed shows an image file in place, a digest's file sits under it. */
  async function send(route: `/${string}`, body: Record<string, unknown>, files: ChatFile[]) {
    return (await client.rest.post(route, {
      body: { ...body, attachments: files.map((file, id) => ({ id, filename: file.filename })) },
      files: files.map((file) => ({ name: file.filename, data: file.data, contentType: file.contentType })),
    })) as { id: string };
  }

  const platform: ChatPlatform<DiscordTurn> = {
    name: 'discord',
    async post(channelId, view, threadId) {
      const message = await renderForDiscord(view, db);
      // Only the members a notice names (a case reminder's owners) may be notified.
      const ping = view.kind === 'notice' ? (view.ping ?? []) : [];
      const allowed_mentions = ping.length ? { ...NO_MENTIONS, users: ping } : NO_MENTIONS;
      const route = Routes.channelMessages(threadId ?? channelId);
      const chart = await resultChart(view);
      const files = filesOf(view, chart);
      const [first, ...rest] = message.embeds;
      // The chart shows inside the result's embed; a digest's file sits under the message.
      const embeds = chart
        ? [{ ...first, image: { url: `attachment://${chart.filename}` } }, ...rest]
        : message.embeds;
      const body = { ...message, embeds, allowed_mentions };
      const created = files.length
        ? await send(route, body, files)
        : ((await client.rest.post(route, { body })) as { id: string });
      return created.id;
    },
    async edit(channelId, messageId, view) {
      const body = { ...(await renderForDiscord(view, db)), allowed_mentions: NO_MENTIONS };
      await client.rest.patch(Routes.channelMessage(channelId, messageId), { body });
    },
    async startThread(channelId, messageId, name) {
      const thread = (await client.rest.post(Routes.threads(channelId, messageId), {
        body: { name: name.slice(0, 100), auto_archive_duration: 10080 },
      })) as { id: string };
      return thread.id;
    },
    async upload(channelId, files, threadId) {
      await send(Routes.channelMessages(threadId ?? channelId), { allowed_mentions: NO_MENTIONS }, files);
    },
    async answer({ interaction, mode }, view) {
      if (interaction.deferred)
        await interaction.editReply({
          ...(await renderForDiscord(view, db)),
          ...attachmentOf(view),
          allowedMentions: NO_MENTIONS,
        });
      else if (mode === 'update' && interaction.isMessageComponent())
        await interaction.update(await renderForDiscord(view, db));
      else await interaction.reply(await message(view));
    },
    async defer({ interaction, mode }) {
      if (interaction.deferred || interaction.replied) return;
      if (mode === 'update' && interaction.isMessageComponent()) await interaction.deferUpdate();
      else await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    },
    async openForm(turn, form) {
      // A ballot's form is a private message of select menus; the propose form a modal.
      if (form.form === 'ballot') await platform.answer(turn, form.view);
      else if (!turn.interaction.isModalSubmit()) await turn.interaction.showModal(proposeModal(form.values));
    },
  };
  const loops = postingLoops(app, platform);

  const message = async (view: View, ephemeral = isEphemeral(view)) => ({
    ...(await renderForDiscord(view, db)),
    ...attachmentOf(view),
    allowedMentions: NO_MENTIONS,
    ...(ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}),
  });

  async function run(invocation: Invocation, actor: Actor, interaction: Interaction): Promise<View> {
    const channel =
      interaction.guildId && interaction.channelId
        ? { workspaceId: interaction.guildId, channelId: interaction.channelId }
        : undefined;
    return app.execute(invocation, actor, 'discord', channel);
  }

  /** Answers in time: at once when the answer is ready, otherwise deferred (privately) and edited. */
  async function answer(
    interaction: DiscordTurn['interaction'],
    work: Promise<View>,
    mode: DiscordTurn['mode'],
  ) {
    const outcome = work.then((view): Outcome => ({ kind: 'answer', view }));
    await answerInTime(platform, { interaction, mode }, outcome, REPLY_BUDGET_MS);
  }

  async function actorFor(interaction: Interaction): Promise<Actor | null | 'dm'> {
    if (!interaction.guildId) return 'dm';
    return identify(app, discordUser(interaction.guildId, interaction), displayNameOf(interaction), admins);
  }

  async function refuse(interaction: Exclude<Interaction, AutocompleteInteraction>, actor: null | 'dm') {
    if (!interaction.isRepliable()) return;
    const view =
      actor === 'dm'
        ? errorView(
            'Use the bot in a coalition server',
            'Commands work in the server channels, not in direct messages.',
          )
        : joinInstructions({
            platform: 'discord',
            workspaceId: interaction.guildId ?? '',
            userId: interaction.user.id,
          });
    await interaction.reply(await message(view, true));
  }

  async function onCommand(interaction: ChatInputCommandInteraction, actor: Actor) {
    const subcommand = interaction.options.getSubcommand(false) ?? undefined;
    const data = subcommand ? (interaction.options.data[0]?.options ?? []) : interaction.options.data;
    const invocation: Invocation = {
      command: interaction.commandName,
      ...(subcommand ? { subcommand } : {}),
      options: optionValues(data),
    };
    const command = findCommand(app.registry, invocation);
    if (command?.form && Object.keys(invocation.options).length === 0) {
      await platform.openForm({ interaction, mode: 'reply' }, { form: 'propose' });
      return;
    }
    const files = data.filter((option) => option.attachment);
    const work = files.length
      ? receiveFiles(files).then(
          (received) =>
            run({ ...invocation, options: { ...invocation.options, ...received } }, actor, interaction),
          (error: unknown) => {
            if (!(error instanceof UserError)) throw error;
            return errorView('Could not take that file', error.message);
          },
        )
      : run(invocation, actor, interaction);
    await answer(interaction, work, 'reply');
  }

  /** Attached files, downloaded from Discord, checked, hashed and kept: the option's value is the bot's record of it. */
  async function receiveFiles(
    options: readonly CommandInteractionOption[],
  ): Promise<Record<string, ReceivedFile>> {
    const received: Record<string, ReceivedFile> = {};
    for (const option of options) {
      const file = option.attachment;
      if (!file) continue;
      received[option.name] = await app.evidence.download({
        url: file.url,
        name: file.name,
        size: file.size,
      });
    }
    return received;
  }

  async function onButton(interaction: ButtonInteraction, actor: Actor) {
    if (interaction.customId.startsWith(REOPEN_PREFIX)) {
      const stored = await loadPendingAction(db, interaction.customId.slice(REOPEN_PREFIX.length));
      const values = Object.fromEntries(
        Object.entries(stored.options).map(([name, value]) => [name, String(value)]),
      );
      await platform.openForm({ interaction, mode: 'reply' }, { form: 'propose', values });
      return;
    }
    const value = parseActionId(interaction.customId);
    if (value === undefined) return;
    const work = decodeAction(db, value)
      .then((invocation) => run(invocation, actor, interaction))
      .catch((error: unknown) =>
        errorView(
          'That button did not work',
          error instanceof UserError ? error.message : 'Run the command again.',
        ),
      );
    // A button on a private answer replaces it in place (paging, "propose anyway").
    const inPlace = interaction.message.flags.has(MessageFlags.Ephemeral);
    await answer(interaction, work, inPlace ? 'update' : 'reply');
  }

  /** A pick in a ballot's menus: the message shows the choice so far, and its button casts it. */
  async function onBallotMenu(interaction: StringSelectMenuInteraction) {
    const read = readBallotMenus(
      interaction.message.components.map(
        (row) => row.toJSON() as Parameters<typeof readBallotMenus>[0][number],
      ),
      { customId: interaction.customId, values: interaction.values },
    );
    if (!read) return;
    const work = pollDetails(db, read.poll).then(
      (poll): View => ballotForm(poll, read.choice),
      (error: unknown) =>
        errorView('That menu did not work', error instanceof UserError ? error.message : 'Run /vote again.'),
    );
    await answer(interaction, work, 'update');
  }

  async function onModal(interaction: ModalSubmitInteraction, actor: Actor) {
    if (interaction.customId !== PROPOSE_MODAL) return;
    const values = readModalValues(interaction.fields.fields.values());
    const view = await run({ command: 'propose', options: proposeOptions(values) }, actor, interaction);
    if (view.kind !== 'error') {
      await interaction.reply(await message(view));
      return;
    }
    // Modals cannot show errors beside fields on Discord: say what to fix, offer the form back filled in.
    const reopen = await storePendingAction(db, { command: 'propose', options: values });
    await interaction.reply({
      ...(await message(view, true)),
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 1, label: 'Edit and resubmit', custom_id: `${REOPEN_PREFIX}${reopen}` },
          ],
        },
      ],
    });
  }

  async function onAutocomplete(interaction: AutocompleteInteraction) {
    const actor = await actorFor(interaction);
    if (!actor || actor === 'dm') {
      await interaction.respond([]);
      return;
    }
    const focused = interaction.options.getFocused(true);
    const subcommand = interaction.options.getSubcommand(false) ?? undefined;
    const command = findCommand(app.registry, {
      command: interaction.commandName,
      ...(subcommand ? { subcommand } : {}),
    });
    const kind = command
      ? describeOptions(command).find((option) => option.name === focused.name)?.autocomplete
      : undefined;
    if (kind === 'target') {
      const targets = await suggestTargets(db, String(focused.value));
      await interaction.respond(
        targets.map((target) => ({ name: truncate(`#${target.id} ${target.name}`, 100), value: target.id })),
      );
    } else if (kind === 'case') {
      const cases = await suggestCases(db, String(focused.value));
      await interaction.respond(
        cases.map((item) => ({ name: truncate(`Case ${item.id}: ${item.title}`, 100), value: item.id })),
      );
    } else if (kind === 'organization') {
      const organizations = await suggestOrganizations(db, String(focused.value));
      await interaction.respond(
        organizations.map((organization) => ({
          name: truncate(`${organization.name} (${organization.slug})`, 100),
          value: organization.slug,
        })),
      );
    } else {
      await interaction.respond([]);
    }
  }

  async function handle(interaction: Interaction) {
    if (interaction.isAutocomplete()) {
      await onAutocomplete(interaction);
      return;
    }
    // Discord may deliver an interaction again after a reconnect; each id runs once.
    const key = `discord:interaction:${interaction.id}`;
    let actor: Actor | null | 'dm';
    const guildId = interaction.guildId;
    if (!guildId) {
      if (!(await claimDelivery(db, key))) return;
      actor = 'dm';
    } else {
      const user = discordUser(guildId, interaction);
      const admitted = await admit(app, key, user, displayNameOf(interaction), admins);
      if (!admitted) return;
      actor = admitted.actor;
    }
    if (!actor || actor === 'dm') {
      await refuse(interaction, actor);
      return;
    }
    if (interaction.isChatInputCommand()) await onCommand(interaction, actor);
    else if (interaction.isButton()) await onButton(interaction, actor);
    else if (interaction.isModalSubmit()) await onModal(interaction, actor);
    else if (interaction.isStringSelectMenu()) await onBallotMenu(interaction);
  }

  client.on(Events.InteractionCreate, (interaction) => {
    handle(interaction).catch(async (error: unknown) => {
      const unavailable = isDatabaseUnavailable(error);
      logger.error(
        {
          err: error instanceof Error ? error.message : String(error),
          interaction: interaction.id,
          ...(unavailable ? { database: 'unavailable' } : {}),
        },
        'interaction failed',
      );
      // Whatever failed before an answer, the member still gets one (privately) instead of silence.
      if (!interaction.isRepliable() || interaction.replied) return;
      const view = unavailable
        ? databaseUnavailableView()
        : errorView('Something went wrong', 'Nothing was saved. Please try again.');
      const reply = interaction.deferred
        ? interaction.editReply({ ...(await renderForDiscord(view, db)), allowedMentions: NO_MENTIONS })
        : interaction.reply(await message(view, true));
      await reply.catch(() => undefined);
    });
  });
  client.on(Events.ShardDisconnect, (event) => logger.warn({ code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardResume, () => logger.info('gateway session resumed'));
  client.on(Events.Error, (error) => logger.error({ err: error.message }, 'discord client error'));

  return {
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.token);
      await ready;
      const guilds = [...client.guilds.cache.keys()];
      const home = config.guildId ?? (guilds.length === 1 ? guilds[0] : undefined);
      if (admins.setHome(home).unboundIgnored > 0)
        logger.warn(
          'DISCORD_ADMIN_USER_IDS has bare user ids, but the bot is in several servers and DISCORD_GUILD_ID is unset: write them as SERVER:USER; they are ignored',
        );
      loops.start();
      logger.info({ guilds: client.guilds.cache.size }, 'discord adapter started');
    },
    async stop() {
      await loops.stop();
      await client.destroy();
    },
  };
}

/** The chat user behind an interaction in a server (a DM has no workspace). */
function discordUser(guildId: string, interaction: Interaction): PlatformUser {
  return { platform: 'discord', workspaceId: guildId, userId: interaction.user.id };
}

function displayNameOf(interaction: Interaction): string {
  return interaction.user.globalName ?? interaction.user.username;
}

/** Exports (CSV, JSON, Markdown) go whole, as a file on the private answer. */
function attachmentOf(view: View): { files?: Array<{ attachment: Buffer; name: string }> } {
  return view.kind === 'file'
    ? { files: filesOf(view).map((file) => ({ attachment: file.data, name: file.filename })) }
    : {};
}

function optionValues(data: readonly CommandInteractionOption[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const option of data) if (option.value !== undefined) options[option.name] = option.value;
  return options;
}

export type { DiscordMessage };

/** A member's command, button or form on Discord; `update` edits the private answer the button sits on. */
type DiscordTurn = {
  interaction:
    | ChatInputCommandInteraction
    | ModalSubmitInteraction
    | ButtonInteraction
    | StringSelectMenuInteraction;
  mode: 'reply' | 'update';
};
