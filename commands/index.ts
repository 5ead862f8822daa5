import type { Registry } from '../src/chat/command.ts';
import audit from './audit.ts';
import caseCommand from './case/index.ts';
import channel from './channel.ts';
import digest from './digest.ts';
import help from './help.ts';
import member from './member.ts';
import mirror from './mirror.ts';
import org from './org.ts';
import poll from './poll.ts';
import propose from './propose.ts';
import review from './review.ts';
import stats from './stats.ts';
import target from './target.ts';
import targets from './targets.ts';
import vote from './vote.ts';

/** Every chat command, in help order. Each adapter registers and dispatches from this list. */
export const registry: Registry = [
  propose,
  targets,
  target,
  review,
  poll,
  vote,
  caseCommand,
  digest,
  mirror,
  stats,
  org,
  member,
  channel,
  audit,
  help,
];
