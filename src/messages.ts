import type { DigestView } from './digest/compose.ts';
import type { PollDetails } from './domain/polls/details.ts';
import type { TargetDetails, TargetFilters, TargetPage } from './domain/targets.ts';

/**
 * What a command answers: plain data, no platform markup. Each adapter has one renderer per kind.
 * Text in views is raw member text; renderers escape it for their platform.
 */

/** Runs a command when a member picks it: a button on Slack and Discord, a hint on the console. */
export type CommandAction = {
  label: string;
  invocation: Invocation;
  style?: 'primary' | 'danger';
  /** The invocation as the button carries it, set before rendering (`encodeActions`). */
  value?: string;
};

export type Invocation = {
  command: string;
  subcommand?: string;
  options: Record<string, unknown>;
  /** Free text after the command, bound to the command's primary option. */
  text?: string;
};

export type NoticeView = {
  kind: 'notice';
  tone: 'success' | 'info';
  title: string;
  lines: string[];
  ephemeral: boolean;
  actions?: CommandAction[];
  /** Platform user ids to mention on purpose (case reminders); nothing else in a message pings. */
  ping?: string[];
};

/** `fields`: messages per option, for forms that show errors beside the field (Slack and Discord modals). */
export type ErrorView = { kind: 'error'; title: string; lines: string[]; fields?: Record<string, string> };

export type TargetView = {
  kind: 'target';
  headline?: string;
  target: TargetDetails;
  ephemeral: boolean;
};

export type TargetListView = {
  kind: 'target-list';
  filters: TargetFilters;
  page: TargetPage;
  actions: CommandAction[];
};

export type DuplicatesView = {
  kind: 'duplicates';
  proposedName: string;
  matches: TargetDetails[];
  actions: CommandAction[];
};

export type HelpOption = {
  name: string;
  description: string;
  required: boolean;
  primary: boolean;
  choices?: string[];
};

export type HelpEntry = {
  usage: string;
  description: string;
  allowed: string;
  options: HelpOption[];
  examples: string[];
};

export type HelpView = {
  kind: 'help';
  title: string;
  entries: HelpEntry[];
  detailed: boolean;
  footer: string[];
};

export type PollView = {
  kind: 'poll';
  headline?: string;
  poll: PollDetails;
  /** The viewer's current ballot, described, when shown to them privately. */
  yourBallot?: string;
  actions: CommandAction[];
  ephemeral: boolean;
};

/** A ballot being filled in, option numbers from 1: an order of preference, or a score per option. */
export type BallotChoice = { ranking: number[] } | { scores: Record<number, number> };

/**
 * A ranked or score poll's ballot as a form: a modal of menus on Slack, a private message of select
 * menus on Discord, the typed syntax on the console. `choice` starts as the member's current ballot;
 * `actions` casts it as chosen (Discord's button under the menus).
 */
export type BallotFormView = {
  kind: 'ballot-form';
  poll: PollDetails;
  choice: BallotChoice;
  actions: CommandAction[];
};

/**
 * A file to hand to the member (CSV exports, reports): uploaded where the platform allows, printed on
 * the console. `summary`: lines shown with it; `images`: charts sent beside it (PNG, base64, so the
 * view stays plain data).
 */
export type FileView = {
  kind: 'file';
  title: string;
  filename: string;
  content: string;
  summary?: string[];
  images?: Array<{ filename: string; base64: string }>;
};

export type View =
  | NoticeView
  | ErrorView
  | TargetView
  | TargetListView
  | DuplicatesView
  | HelpView
  | PollView
  | BallotFormView
  | FileView
  | DigestView;

export type { DigestView };

export function errorView(title: string, ...lines: string[]): ErrorView {
  return { kind: 'error', title, lines };
}

/** What a member reads when the database cannot be reached: their command did nothing. */
export function databaseUnavailableView(): ErrorView {
  return errorView(
    'The database is unavailable',
    'Nothing was saved. Try again in a minute; the operator has been told in the logs.',
  );
}

export function isEphemeral(view: View): boolean {
  switch (view.kind) {
    case 'error':
    case 'duplicates':
    case 'help':
      return true;
    case 'file':
    case 'ballot-form':
      return true;
    case 'digest':
      return false;
    case 'notice':
    case 'target':
    case 'poll':
      return view.ephemeral;
    case 'target-list':
      return true;
  }
}
