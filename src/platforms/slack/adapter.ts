import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App as BoltApp,
  type Logger as BoltLogger,
  HTTPReceiver,
  type RespondArguments,
  type RespondFn,
  type SlackViewAction,
  type SlashCommand,
  type ViewOutput,
} from '@slack/bolt';
import type { App } from '../../app.ts';
import { decodeAction } from '../../chat/actions.ts';
import { resultChart } from '../../chat/chart.ts';
import { findCommand, toInvocation } from '../../chat/dispatch.ts';
import { admit, BootstrapAdmins, identify, joinInstructions } from '../../chat/identity.ts';
import { answerInTime, type ChatPlatform, filesOf, type Outcome, postingLoops } from '../../chat/platform.ts';
import { parseCommandLine } from '../../chat/syntax.ts';
import type { SlackConfig } from '../../config.ts';
import { isDatabaseUnavailable } from '../../db/client.ts';
import { caseOfThread } from '../../domain/cases/details.ts';
import { claimDelivery } from '../../domain/deliveries.ts';
import { UserError } from '../../domain/errors.ts';
import { homeSummary } from '../../domain/home.ts';
import { type PlatformUser, resolveActor } from '../../domain/members.ts';
import type { Actor } from '../../domain/tx.ts';
import { type Health, health } from '../../health.ts';
import {
  databaseUnavailableView,
  errorView,
  type Invocation,
  isEphemeral,
  type View,
} from '../../messages.ts';
import { retry } from '../../retry.ts';
import { unescapeSlackText } from './escape.ts';
import { homeView, strangerHome } from './home.ts';
import {
  BALLOT_CALLBACK,
  ballotModal,
  formFields,
  PROPOSE_CALLBACK,
  proposeModal,
  readBallotForm,
  readMetadata,
  readProposeForm,
} from './modal.ts';
import { ACTION_PREFIX, renderForSlack, type SlackMessage } from './render.ts';
import { guardReceiver } from './request-guard.ts';

/**
 * Slack wants an answer within 3 seconds; past this the answer follows through response_url. 700 ms
 * keeps acknowledgements under a second through a vote rush (npm run bench -- polls) while an
 * unhurried command still answers inline.
 */
const ACK_BUDGET_MS = 700;
/**
 * Homes are refreshed this long after a change, so that a burst of changes (a vote rush) is one
 * refresh; only homes opened in the last HOME_WATCHED_MS are kept fresh, since Slack does not say
 * who is still looking, and opening the tab always publishes it anew.
 */
const HOME_REFRESH_MS = 3_000;
const HOME_WATCHED_MS = 30 * 60_000;

export type SlackAdapter = {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The HTTP port actually listened on (HTTP mode). */
  port(): number | undefined;
};

export function createSlackAdapter(
  app: App,
  config: SlackConfig,
  port: number,
  checks: Health = health(app),
): SlackAdapter {
  const db = app.database.prisma;
  const logger = app.logger.child({ platform: 'slack' });
  const admins = new BootstrapAdmins(config.adminUserIds);
  const socketMode = config.appToken !== undefined;
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.signingSecret ?? '',
        logger: boltLogger(logger),
        customRoutes: ['/healthz', '/readyz'].map((path) => ({
          path,
          method: ['GET'],
          handler: (request: IncomingMessage, response: ServerResponse) => {
            void checks.handle(request, response);
          },
        })),
      });
  if (receiver)
    guardReceiver(receiver, {
      endpoint: '/slack/events',
      now: () => Date.now(),
      onRefused: (reason) => logger.warn({ reason }, 'slack request refused'),
    });
  const bolt_ = new BoltApp({
    token: config.botToken,
    logger: boltLogger(logger),
    convoStore: false,
    ...(socketMode ? { socketMode: true, appToken: config.appToken } : { receiver }),
    clientOptions: {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
      // Rate limits (429 + Retry-After) and 5xx answers are retried with backoff by the Web API client.
      retryConfig: { retries: 5, factor: 2, minTimeout: 200, maxTimeout: 10_000, randomize: true },
      timeout: 10_000,
    },
  });
  let listeningPort: number | undefined;
  // Slack serves shared files from files.slack.com (and, in tests, the API's own host).
  const fileHosts = new Set(['files.slack.com', ...(config.apiUrl ? [hostOf(config.apiUrl)] : [])]);
  // Work still running after its acknowledgement; stop() waits for it before the database closes.
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };

  const platform: ChatPlatform<SlackTurn> = {
    name: 'slack',
    async post(channel, view, threadTs) {
      const posted = await bolt_.client.chat.postMessage({
        channel,
        ...(await renderForSlack(view, db)),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
        link_names: false,
      });
      // Files go in the posted message's thread: the chart stays with the result it draws, the
      // whole digest with the message that says it is attached.
      const files = filesOf(view, await resultChart(view));
      if (files.length) await platform.upload(channel, files, posted.ts);
      return String(posted.ts);
    },
    async edit(channel, ts, view) {
      await bolt_.client.chat.update({ channel, ts, ...(await renderForSlack(view, db)), link_names: false });
    },
    // A Slack thread is the card's replies: its ts is the thread's id.
    async startThread(_channel, ts) {
      return ts;
    },
    async upload(channel, files, threadTs) {
      await bolt_.client.filesUploadV2({
        channel_id: channel,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        file_uploads: files.map((file) => ({ file: file.data, filename: file.filename, title: file.title })),
      });
    },
    async answer(turn, view) {
      if (view.kind === 'ballot-form') {
        await platform.openForm(turn, { form: 'ballot', view });
        return;
      }
      // An export cannot go in an acknowledgement: acknowledge, then send the file.
      if (view.kind === 'file') {
        if (!turn.acked) await platform.defer(turn);
        view = await deliverFile(turn.userId, view);
      }
      if (!turn.acked) {
        turn.acked = true;
        await turn.ack(await reply(view));
        return;
      }
      // A button on a private answer replaces it in place (paging); elsewhere it answers privately.
      const replace =
        turn.inPlace === undefined ? {} : { replace_original: turn.inPlace && isEphemeral(view) };
      await respondReliably(turn.respond, { ...(await reply(view)), ...replace });
    },
    async defer(turn) {
      if (turn.acked) return;
      turn.acked = true;
      await turn.ack();
    },
    async openForm(turn, form) {
      await platform.defer(turn);
      await bolt_.client.views.open({
        trigger_id: turn.triggerId,
        view:
          form.form === 'propose'
            ? proposeModal(app.programs, turn.channelId)
            : ballotModal(form.view, turn.channelId),
      });
    },
  };
  const loops = postingLoops(app, platform);

  async function actorFor(user: PlatformUser, displayName: string): Promise<Actor | null> {
    return identify(app, user, displayName, admins);
  }

  const proposeFields = formFields(proposeModal(app.programs, undefined));
  const run = (
    invocation: Invocation,
    actor: Actor,
    channel: { workspaceId: string; channelId: string; threadId?: string } | undefined,
  ) => app.execute(invocation, actor, 'slack', channel);

  async function reply(view: View): Promise<SlackMessage & { response_type: 'ephemeral' | 'in_channel' }> {
    return {
      response_type: isEphemeral(view) ? 'ephemeral' : 'in_channel',
      ...(await renderForSlack(view, db)),
    };
  }

  /**
   * Exports go to the member as a file in a direct message from the bot: Slack has no private file
   * in a channel, and a message would cut the content off. Answers what to tell the member.
   */
  async function deliverFile(userId: string, view: View): Promise<View> {
    if (view.kind !== 'file') return view;
    try {
      const opened = await bolt_.client.conversations.open({ users: userId });
      const channel = opened.channel?.id;
      if (!channel) throw new Error('no direct message channel');
      await platform.upload(channel, filesOf(view));
      return {
        kind: 'notice',
        tone: 'success',
        title: `${view.title}: sent to you as ${[view.filename, ...(view.images ?? []).map((image) => image.filename)].join(', ')}`,
        lines: [...(view.summary ?? []), 'Look in your direct messages with the bot.'],
        ephemeral: true,
      };
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'file upload failed');
      return errorView(`Could not send ${view.filename}`, 'Slack did not accept the file; please try again.');
    }
  }

  // Retries are safe: a response_url accepts up to five posts in 30 minutes.
  const respondReliably = (respond: RespondFn, message: Parameters<RespondFn>[0]) =>
    retry(() => respond(message), { attempts: 4, baseMs: 300 }).catch((error: unknown) => {
      logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'response_url post failed',
      );
    });

  /** Everything a slash command does, database work included; the caller decides how to answer in time. */
  async function handleSlash(command: SlashCommand): Promise<Outcome> {
    const user: PlatformUser = { platform: 'slack', workspaceId: command.team_id, userId: command.user_id };
    const admitted = await admit(
      app,
      `slack:command:${command.team_id}:${command.trigger_id}`,
      user,
      command.user_name,
      admins,
    );
    if (!admitted) {
      logger.info('retried slash command ignored');
      return { kind: 'ignore' };
    }
    const { actor } = admitted;
    if (!actor) return { kind: 'answer', view: joinInstructions(user) };
    const typed = command.command.slice(1).toLowerCase();
    // With SLACK_COMMAND_PREFIX the workspace knows /cb-vote; the registry knows vote.
    const prefix = config.commandPrefix ?? '';
    const name = prefix && typed.startsWith(prefix) ? typed.slice(prefix.length) : typed;
    const text = unescapeSlackText(command.text ?? '');
    if (text.trim() === '' && findCommand(app.registry, { command: name })?.form)
      return { kind: 'form', form: { form: 'propose' } };
    let invocation: Invocation;
    try {
      invocation = toInvocation(app.registry, parseCommandLine(`/${name} ${text}`));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return { kind: 'answer', view: errorView('Could not read that command', error.message) };
    }
    return {
      kind: 'answer',
      view: await run(invocation, actor, { workspaceId: command.team_id, channelId: command.channel_id }),
    };
  }

  // The 3-second budget starts when the request arrives: under load even identifying the member can
  // wait for the database, so all of it races the budget, and a late answer goes to response_url.
  /** A failure before any answer (the database out of reach, say) still answers the member. */
  const failureAnswer = (error: unknown): Outcome => {
    const unavailable = isDatabaseUnavailable(error);
    logger.error(
      {
        err: error instanceof Error ? error.message : String(error),
        ...(unavailable ? { database: 'unavailable' } : {}),
      },
      'slash command failed',
    );
    return {
      kind: 'answer',
      view: unavailable
        ? databaseUnavailableView()
        : errorView('Something went wrong', 'Nothing was saved. Please try again.'),
    };
  };

  bolt_.command(/^\/[a-z][a-z0-9_-]*$/, async ({ command, ack, respond }) => {
    const turn: SlackTurn = {
      ack,
      respond,
      acked: false,
      userId: command.user_id,
      triggerId: command.trigger_id,
      channelId: command.channel_id,
    };
    await answerInTime(platform, turn, track(handleSlash(command).catch(failureAnswer)), ACK_BUDGET_MS);
    // A retried delivery was answered the first time: acknowledge and say nothing more.
    await platform.defer(turn);
  });

  bolt_.action(new RegExp(`^${ACTION_PREFIX}`), async ({ ack, body, action, respond }) => {
    await ack();
    const turn: SlackTurn = {
      ack: async () => undefined,
      respond,
      acked: true,
      userId: body.user.id,
      triggerId: (body as { trigger_id?: string }).trigger_id ?? '',
      ...((body as { channel?: { id?: string } }).channel?.id
        ? { channelId: (body as { channel: { id: string } }).channel.id }
        : {}),
      inPlace: Boolean((body as { container?: { is_ephemeral?: boolean } }).container?.is_ephemeral),
    };
    await onButton(body, action, turn).catch(async (error: unknown) => {
      const outcome = failureAnswer(error);
      if (outcome.kind === 'answer') await platform.answer({ ...turn, inPlace: false }, outcome.view);
    });
  });

  async function onButton(
    body: Parameters<Parameters<typeof bolt_.action>[1]>[0]['body'],
    action: Parameters<Parameters<typeof bolt_.action>[1]>[0]['action'],
    turn: SlackTurn,
  ) {
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) return;
    const team = body.team?.id ?? body.user.team_id ?? '';
    const user: PlatformUser = { platform: 'slack', workspaceId: team, userId: body.user.id };
    const admitted = await admit(
      app,
      `slack:action:${team}:${body.trigger_id}:${action.action_id}`,
      user,
      body.user.name ?? body.user.username ?? '',
      admins,
    );
    if (!admitted) return;
    const { actor } = admitted;
    if (!actor) {
      await platform.answer({ ...turn, inPlace: false }, joinInstructions(user));
      return;
    }
    let view: View;
    try {
      const invocation = await decodeAction(db, action.value ?? '');
      view = await run(
        invocation,
        actor,
        body.channel ? { workspaceId: team, channelId: body.channel.id } : undefined,
      );
    } catch (error) {
      view = errorView(
        'That button did not work',
        error instanceof UserError ? error.message : 'Run the command again.',
      );
    }
    await platform.answer(turn, view);
  }

  type Submission = { body: SlackViewAction; view: ViewOutput };
  /**
   * Who submitted a form, once per submission: undefined when Slack delivered it again (it is
   * acknowledged and nothing more happens).
   */
  async function submitter({ body, view: modal }: Submission, ack: () => Promise<void>) {
    const team = body.team?.id ?? body.user.team_id ?? '';
    const trigger = (body as { trigger_id?: string }).trigger_id ?? `${modal.id}:${modal.hash}`;
    const user: PlatformUser = { platform: 'slack', workspaceId: team, userId: body.user.id };
    const admitted = await admit(app, `slack:view:${team}:${trigger}`, user, body.user.name ?? '', admins);
    if (!admitted) {
      await ack();
      return undefined;
    }
    return { team, user, actor: admitted.actor };
  }

  bolt_.view(PROPOSE_CALLBACK, async ({ ack, body, view: modal }) => {
    const who = await submitter({ body, view: modal }, () => ack());
    if (!who) return;
    const { team, user, actor } = who;
    if (!actor) {
      await ack({ response_action: 'errors', errors: { name: joinInstructions(user).title } });
      return;
    }
    const { channelId } = readMetadata(modal.private_metadata);
    const options = readProposeForm(modal.state.values);
    const view = await run(
      { command: 'propose', options },
      actor,
      channelId ? { workspaceId: team, channelId } : undefined,
    );
    if (view.kind === 'error') {
      const errors =
        view.fields && Object.keys(view.fields).length > 0 ? view.fields : { name: view.lines.join(' ') };
      await ack({ response_action: 'errors', errors: mapFormErrors(errors, proposeFields) });
      return;
    }
    if (view.kind === 'duplicates') {
      const names = view.matches.map((match) => `#${match.id} ${match.name} (${match.status})`).join('; ');
      await ack({
        response_action: 'errors',
        errors: {
          name: truncateError(
            `Looks like ${names}. Tick "Propose even if a similar target exists" to go ahead.`,
          ),
        },
      });
      return;
    }
    await ack();
    if (channelId) await confirmPrivately(channelId, body.user.id, view);
  });

  bolt_.view(BALLOT_CALLBACK, async ({ ack, body, view: modal }) => {
    const who = await submitter({ body, view: modal }, () => ack());
    if (!who) return;
    const { team, user, actor } = who;
    const read = readBallotForm(modal.state.values);
    const { poll, channelId } = readMetadata(modal.private_metadata);
    const first = Object.keys(modal.state.values)[0] ?? 'rank-1';
    if (!actor || !read || poll === undefined) {
      await ack({
        response_action: 'errors',
        errors: {
          [first]: actor ? 'This form is out of date: click Vote again.' : joinInstructions(user).title,
        },
      });
      return;
    }
    if ('errors' in read) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    const view = await run(
      { command: 'vote', options: { poll, choice: read.choice } },
      actor,
      channelId ? { workspaceId: team, channelId } : undefined,
    );
    if (view.kind === 'error') {
      await ack({ response_action: 'errors', errors: { [first]: truncateError(view.lines.join(' ')) } });
      return;
    }
    await ack();
    if (channelId) await confirmPrivately(channelId, body.user.id, view);
  });

  /** After a form closes (or a file is taken), the answer goes to the member where they were, privately. */
  async function confirmPrivately(channelId: string, userId: string, view: View, threadTs?: string) {
    const message = await renderForSlack(view, db);
    const where = { channel: channelId, user: userId, ...(threadTs ? { thread_ts: threadTs } : {}) };
    await retry(() => bolt_.client.chat.postEphemeral({ ...where, ...message }), {
      attempts: 3,
      baseMs: 300,
    }).catch((error: unknown) => {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'could not confirm a form',
      );
    });
  }

  /**
   * The workspace an event came from, once per event: undefined when Slack delivers it again
   * (retries carry the same event_id).
   */
  async function claimEvent(body: unknown, fallbackId: string): Promise<string | undefined> {
    const { team_id: team = '', event_id: eventId = fallbackId } = body as {
      team_id?: string;
      event_id?: string;
    };
    return (await claimDelivery(db, `slack:event:${team}:${eventId}`)) ? team : undefined;
  }

  // A file shared in a case's thread is evidence for that case, downloaded and hashed by the bot.
  bolt_.event('message', async ({ event, body }) => {
    const message = event as {
      subtype?: string;
      channel: string;
      user?: string;
      text?: string;
      ts: string;
      thread_ts?: string;
      files?: Array<{ name?: string; size?: number; url_private_download?: string; url_private?: string }>;
    };
    if (message.subtype !== 'file_share' || !message.thread_ts || !message.user || !message.files?.length)
      return;
    const team = await claimEvent(body, `${message.channel}:${message.ts}`);
    if (team === undefined) return;
    const caseNumber = await caseOfThread(db, 'slack', message.channel, message.thread_ts);
    if (caseNumber === undefined) return;
    const userId = message.user;
    const tell = (view: View) => confirmPrivately(message.channel, userId, view, message.thread_ts);
    const user: PlatformUser = { platform: 'slack', workspaceId: team, userId };
    const actor = await actorFor(user, '');
    if (!actor) {
      await tell(joinInstructions(user));
      return;
    }
    const note = unescapeSlackText(message.text ?? '')
      .trim()
      .slice(0, 500);
    for (const file of message.files) {
      const url = file.url_private_download ?? file.url_private ?? '';
      let view: View;
      try {
        // The bot token goes only to Slack's own file host.
        if (!fileHosts.has(hostOf(url)))
          throw new UserError(`${file.name ?? 'The file'} is not a Slack file.`);
        const received = await app.evidence.download({
          url,
          name: file.name ?? 'file',
          size: file.size,
          headers: { authorization: `Bearer ${config.botToken}` },
        });
        view = await run(
          {
            command: 'case',
            subcommand: 'evidence',
            options: { id: caseNumber, file: received, ...(note ? { note } : {}) },
          },
          actor,
          { workspaceId: team, channelId: message.channel },
        );
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        view = errorView('Could not take that file', error.message);
      }
      await tell(view);
    }
  });

  // In a case's thread, a mention is a /case command about that case: "@bot note Sent the draft".
  bolt_.event('app_mention', async ({ event, body }) => {
    if (!event.user) return;
    const team = await claimEvent(body, `${event.channel}:${event.ts}`);
    if (team === undefined) return;
    const userId = event.user;
    const threadTs = event.thread_ts;
    const tell = async (view: View) => {
      if (isEphemeral(view)) await confirmPrivately(event.channel, userId, view, threadTs ?? event.ts);
      else await platform.post(event.channel, view, threadTs ?? event.ts);
    };
    const user: PlatformUser = { platform: 'slack', workspaceId: team, userId };
    const actor = await resolveActor(db, user);
    if (!actor) {
      await tell(joinInstructions(user));
      return;
    }
    const caseNumber = threadTs ? await caseOfThread(db, 'slack', event.channel, threadTs) : undefined;
    if (caseNumber === undefined) {
      await tell({
        kind: 'notice',
        tone: 'info',
        title: 'Mention me in a case thread',
        lines: [
          'In the thread under a case card, "@bot note <text>", "@bot move drafting" or "@bot status" act on that case.',
          'Anywhere else, use the slash commands: /help case.',
        ],
        ephemeral: true,
      });
      return;
    }
    const text = unescapeSlackText(event.text.replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ')).trim();
    let view: View;
    try {
      const invocation = toInvocation(app.registry, parseCommandLine(`/case ${text || 'status'}`));
      view = await deliverFile(
        userId,
        await run(invocation, actor, {
          workspaceId: team,
          channelId: event.channel,
          threadId: threadTs as string,
        }),
      );
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      view = errorView('Could not read that command', error.message);
    }
    await tell(view);
  });

  // App Home: each member's desk, published when they open it and again when what it shows changes.
  const homes = new Map<string, { user: PlatformUser; openedAt: number; published?: string }>();
  async function publishHome(key: string): Promise<void> {
    const home = homes.get(key);
    if (!home) return;
    // Opening the Home tab makes no one a member: only someone the bot knows sees a desk.
    const actor = await resolveActor(db, home.user);
    const join = joinInstructions(home.user);
    const view = actor
      ? homeView(await homeSummary(db, actor, app.now()))
      : strangerHome(join.title, join.lines);
    const text = JSON.stringify(view);
    if (text === home.published) return;
    await bolt_.client.views.publish({ user_id: home.user.userId, view });
    home.published = text;
  }
  bolt_.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const team = (body as { team_id?: string }).team_id ?? '';
    const key = `${team}:${event.user}`;
    // Opening the tab always shows what is current.
    homes.set(key, {
      user: { platform: 'slack' as const, workspaceId: team, userId: event.user },
      openedAt: Date.now(),
    });
    await publishHome(key);
  });
  // Anything a command or the schedule changed may change a home: refresh the open ones, once per
  // burst of changes, one after another.
  let refresh: NodeJS.Timeout | undefined;
  let refreshing = Promise.resolve();
  const stopRefreshing = app.onOutbox(() => {
    if (homes.size === 0 || refresh) return;
    refresh = setTimeout(() => {
      refresh = undefined;
      refreshing = refreshing.then(async () => {
        const watched = Date.now() - HOME_WATCHED_MS;
        for (const [key, home] of homes) if (home.openedAt < watched) homes.delete(key);
        for (const key of homes.keys())
          await publishHome(key).catch((error: unknown) => {
            logger.warn(
              { err: error instanceof Error ? error.message : String(error) },
              'home refresh failed',
            );
          });
      });
    }, HOME_REFRESH_MS);
  });

  bolt_.event('app_uninstalled', async () => {
    logger.warn('the Slack app was uninstalled from a workspace');
  });
  bolt_.event('tokens_revoked', async () => {
    logger.warn('Slack tokens were revoked; the bot can no longer post');
  });

  bolt_.error(async (error) => {
    logger.error({ err: error.message, code: (error as { code?: string }).code }, 'slack handler failed');
  });

  return {
    async start() {
      const started = (await (socketMode ? bolt_.start() : bolt_.start(port))) as unknown;
      const address = (started as { address?: () => AddressInfo | string | null } | undefined)?.address?.();
      listeningPort = typeof address === 'object' && address ? address.port : undefined;
      // A bot token belongs to one team: its team is the home of bare SLACK_ADMIN_USER_IDS entries.
      const auth = await retry(() => bolt_.client.auth.test(), { attempts: 3, baseMs: 500 }).catch(
        () => undefined,
      );
      if (admins.setHome(auth?.team_id).unboundIgnored > 0)
        logger.warn(
          'could not learn the Slack team (auth.test): bare SLACK_ADMIN_USER_IDS entries are ignored; write them as TEAM:USER',
        );
      loops.start();
      logger.info({ mode: socketMode ? 'socket' : 'http', port: listeningPort }, 'slack adapter started');
    },
    async stop() {
      await bolt_.stop();
      stopRefreshing();
      clearTimeout(refresh);
      await refreshing;
      await Promise.allSettled([...inFlight]);
      await loops.stop();
    },
    port: () => listeningPort,
  };
}

function mapFormErrors(errors: Record<string, string>, fields: Set<string>): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const block = fields.has(field) ? field : 'name';
    mapped[block] = truncateError(mapped[block] ? `${mapped[block]} ${message}` : message);
  }
  return mapped;
}

function truncateError(message: string): string {
  return message.length <= 150 ? message : `${message.slice(0, 149)}…`;
}

function boltLogger(logger: App['logger']): BoltLogger {
  let level = 'info' as ReturnType<BoltLogger['getLevel']>;
  const text = (parts: unknown[]) =>
    parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  return {
    debug: (...parts) => logger.debug(text(parts)),
    info: (...parts) => logger.debug(text(parts)),
    warn: (...parts) => logger.warn(text(parts)),
    error: (...parts) => logger.error(text(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * A member's slash command or button on Slack: the acknowledgement (once, within 3 seconds), then
 * response_url. `inPlace`: the button sits on a private answer, which the answer replaces.
 */
type SlackTurn = {
  ack: (message?: RespondArguments) => Promise<void>;
  respond: RespondFn;
  acked: boolean;
  userId: string;
  triggerId: string;
  channelId?: string;
  inPlace?: boolean;
};

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
