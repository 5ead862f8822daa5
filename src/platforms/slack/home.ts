import type { HomeView, KnownBlock } from '@slack/types';
import { isoDate } from '../../domain/dates.ts';
import type { HomeSummary } from '../../domain/home.ts';
import { escapeMrkdwn as esc, truncate } from './escape.ts';

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, 3000) },
});
const list = (title: string, lines: string[], empty: string): KnownBlock[] => [
  { type: 'header', text: { type: 'plain_text', text: title } },
  section(lines.length ? lines.map((line) => `• ${line}`).join('\n') : `_${empty}_`),
];

/** A member's App Home: their desk in the coalition, refreshed when what it shows changes. */
export function homeView(summary: HomeSummary): HomeView {
  const blocks: KnownBlock[] = [
    ...list(
      'Your cases',
      summary.cases.map(
        (item) =>
          `Case ${item.id}: ${esc(item.title)} · ${item.stage}${item.dueOn ? ` · next deadline ${item.dueOn}` : ''}`,
      ),
      'No open case. /case mine lists yours; /case open target:<n> opens one.',
    ),
    ...list(
      'Polls waiting for your ballot',
      summary.polls.map(
        (poll) =>
          `Poll ${poll.id}: ${esc(poll.question)} · closes ${isoDate(poll.closesAt)}${poll.forOrganization ? ' · one ballot for your organization' : ''} · \`/vote ${poll.id}\``,
      ),
      'Nothing to vote on.',
    ),
  ];
  if (summary.designations)
    blocks.push(
      ...list(
        'Possible designations to confirm',
        summary.designations.map(
          (item) =>
            `#${item.targetId} ${esc(item.target)} ~ ${esc(item.listed)} (${item.list === 'SDN' ? 'OFAC' : esc(item.list)}) · \`/case confirm match:${item.matchId}\``,
        ),
        'None waiting.',
      ),
    );
  blocks.push(
    ...list(
      'Your targets',
      summary.targets.map((target) => `#${target.id} ${esc(target.name)} · ${target.status}`),
      'You have not proposed a target yet: /propose opens the form.',
    ),
  );
  return { type: 'home', blocks };
}

/** The home of someone the bot does not know yet: how to join. */
export function strangerHome(title: string, lines: string[]): HomeView {
  return { type: 'home', blocks: [section(`*${esc(title)}*\n${lines.map(esc).join('\n')}`)] };
}
