import { z } from 'zod';
import { caseCard } from '../src/chat/case-view.ts';
import type { CommandContext } from '../src/chat/command.ts';
import { defineCommand, defineGroup } from '../src/chat/command.ts';
import { choice, day, httpsUrl, id, list, multiLine, singleLine } from '../src/chat/fields.ts';
import { parseUserReference } from '../src/chat/mentions.ts';
import { recordAudit } from '../src/domain/audit.ts';
import {
  addEvidence,
  answerSubmission,
  assignCase,
  followCase,
  moveCase,
  noteCase,
  openCase,
  retractEvidence,
  submitCase,
} from '../src/domain/cases/changes.ts';
import { decideMatch, matchDetails } from '../src/domain/cases/designations.ts';
import { caseDetails, listCases } from '../src/domain/cases/details.ts';
import { caseMarkdown } from '../src/domain/cases/dossier.ts';
import { CASE_STAGES, DEFAULT_JURISDICTIONS, stageLabel } from '../src/domain/cases/stages.ts';
import { isoDate, startOfDay } from '../src/domain/dates.ts';
import { ForbiddenError, NotFoundError, UserError } from '../src/domain/errors.ts';
import { getTarget, maySee } from '../src/domain/targets.ts';
import type { View } from '../src/messages.ts';
import { codeOfStored, jurisdictionLabel } from '../src/sanctions/lists.ts';

const caseId = () => id('id').meta({ autocomplete: 'case' }).describe('Case number');

function channelOf(ctx: CommandContext) {
  return ctx.channel ? { platform: ctx.platform, ...ctx.channel } : undefined;
}

async function card(ctx: CommandContext, caseNumber: number, headline: string): Promise<View> {
  return { ...caseCard(await caseDetails(ctx.db, caseNumber), headline), ephemeral: false };
}

const open = defineCommand({
  name: 'open',
  description: 'Open a tracked case for one or more targets',
  permission: 'case.open',
  action: 'open cases',
  options: z.object({
    target: list('target', id('target'), { separator: /[\s,;]+/, max: 50 }).describe(
      'Target number(s), e.g. 12 or 12,13,14',
    ),
    title: singleLine('title', 200).optional().describe('A name for the case (default: the target)'),
    due: day('due').optional().describe('Due date, YYYY-MM-DD'),
  }),
  primary: 'target',
  examples: ['/case open target:12', '/case open target:12,13 title:"Xinjiang officials" due:2027-03-01'],
  async run(input, ctx) {
    const created = await openCase(
      ctx.db,
      ctx.actor,
      { targetIds: input.target, title: input.title, dueOn: input.due, now: ctx.now() },
      channelOf(ctx),
    );
    return card(ctx, created, 'Case opened');
  },
});

const status = defineCommand({
  name: 'status',
  description: 'Show a case: stage, targets, team, submissions, evidence',
  permission: 'case.view',
  action: 'see cases',
  options: z.object({ id: caseId() }),
  primary: 'id',
  examples: ['/case status 3'],
  async run(input, ctx) {
    const details = await caseDetails(ctx.db, input.id);
    const recent = details.events
      .slice(-5)
      .map((event) => `${isoDate(event.at)} ${event.actor ?? 'bot'}: ${event.summary}`);
    const view = caseCard(details);
    return {
      ...view,
      lines: [...view.lines, ...(recent.length ? ['Recent:', ...recent] : [])],
      ephemeral: true,
    };
  },
});

const move = defineCommand({
  name: 'move',
  description: 'Move a case to another stage (a reason is needed to close, decline or designate)',
  permission: 'case.work',
  action: 'move cases',
  options: z.object({
    id: caseId(),
    stage: choice('stage', CASE_STAGES).describe(CASE_STAGES.join(', ')),
    reason: singleLine('reason', 500).optional().describe('Why (required for designated, declined, closed)'),
    due: day('due').optional().describe('New due date, YYYY-MM-DD'),
  }),
  examples: ['/case move id:3 stage:drafting', '/case move id:3 stage:closed reason:"merged into case 5"'],
  async run(input, ctx) {
    await moveCase(ctx.db, ctx.actor, {
      id: input.id,
      stage: input.stage,
      reason: input.reason,
      dueOn: input.due,
      now: ctx.now(),
    });
    return card(ctx, input.id, `Moved to ${input.stage}`);
  },
});

const assign = defineCommand({
  name: 'assign',
  description: 'Add someone to a case team (or make them an owner, or remove them)',
  permission: 'case.work',
  action: 'change case teams',
  options: z.object({
    id: caseId(),
    member: singleLine('member', 120)
      .meta({ chatUser: true })
      .describe('A mention, a user id, or a member number'),
    role: choice('role', ['member', 'owner', 'remove'] as const)
      .default('member')
      .describe('member, owner or remove'),
  }),
  examples: ['/case assign id:3 member:@ana role:owner', '/case assign id:3 member:7'],
  async run(input, ctx) {
    const memberId = await resolveMember(ctx, input.member);
    await assignCase(ctx.db, ctx.actor, {
      id: input.id,
      memberId,
      role: input.role === 'remove' ? 'member' : input.role,
      remove: input.role === 'remove',
      now: ctx.now(),
    });
    return card(ctx, input.id, 'Team updated');
  },
});

async function resolveMember(ctx: CommandContext, text: string): Promise<number> {
  if (/^\s*#?\d{1,9}\s*$/.test(text)) return Number(text.replace('#', ''));
  const reference = parseUserReference(text);
  if (!reference || !ctx.channel)
    throw new UserError('member: give a member number, or a mention in Slack or Discord.');
  const identity = await ctx.db.platformIdentity.findUnique({
    where: {
      platform_workspaceId_userId: {
        platform: ctx.platform,
        workspaceId: ctx.channel.workspaceId,
        userId: reference.userId,
      },
    },
  });
  if (!identity)
    throw new NotFoundError('member: that account is not linked to a member yet (/member link).');
  return identity.memberId;
}

const submit = defineCommand({
  name: 'submit',
  description: 'Record a submission of the dossier to a government',
  permission: 'case.work',
  action: 'record submissions',
  options: z.object({
    id: caseId(),
    to: singleLine('to', 40).describe(`Jurisdiction: ${DEFAULT_JURISDICTIONS.join(', ')}`),
    date: day('date').optional().describe('When it was sent, YYYY-MM-DD (default today)'),
    ref: singleLine('ref', 200).optional().describe('Their reference, if any'),
  }),
  examples: ['/case submit id:3 to:US-Treasury date:2026-11-20 ref:"GM-2026-114"'],
  async run(input, ctx) {
    const jurisdiction = DEFAULT_JURISDICTIONS.find((item) => item.toLowerCase() === input.to.toLowerCase());
    if (!jurisdiction)
      throw new UserError(
        `to: "${input.to}" is not a jurisdiction we track. Use one of: ${DEFAULT_JURISDICTIONS.join(', ')}.`,
      );
    await submitCase(ctx.db, ctx.actor, {
      id: input.id,
      jurisdiction,
      submittedOn: input.date ?? startOfDay(ctx.now()),
      reference: input.ref,
      now: ctx.now(),
    });
    return card(ctx, input.id, `Submitted to ${jurisdiction}`);
  },
});

const answer = defineCommand({
  name: 'answer',
  description: "Record a government's answer to a submission",
  permission: 'case.work',
  action: 'record answers',
  options: z.object({
    submission: id('submission').describe('Submission number (shown by /case export)'),
    answer: singleLine('answer', 500).describe('What they answered'),
    date: day('date').optional().describe('When, YYYY-MM-DD (default today)'),
  }),
  examples: ['/case answer submission:4 answer:"acknowledged, under review"'],
  async run(input, ctx) {
    const caseNumber = await answerSubmission(ctx.db, ctx.actor, {
      submissionId: input.submission,
      answer: input.answer,
      answeredOn: input.date ?? startOfDay(ctx.now()),
      now: ctx.now(),
    });
    return card(ctx, caseNumber, 'Answer recorded');
  },
});

const note = defineCommand({
  name: 'note',
  description: 'Add a note to the case timeline',
  permission: 'case.work',
  action: 'add notes',
  options: z.object({ id: caseId(), text: multiLine('text', 2000).describe('The note') }),
  examples: ['/case note id:3 text:"Called the Treasury desk officer"'],
  async run(input, ctx) {
    await noteCase(ctx.db, ctx.actor, { id: input.id, text: input.text, now: ctx.now() });
    return {
      kind: 'notice',
      tone: 'success',
      title: `Note added to case ${input.id}`,
      lines: [],
      ephemeral: true,
    };
  },
});

const evidence = defineCommand({
  name: 'evidence',
  description: 'Add evidence (a link, with the sha256 of the file if you have it)',
  permission: 'case.work',
  action: 'add evidence',
  options: z.object({
    id: caseId(),
    link: httpsUrl('link').describe('https:// link to the document'),
    sha256: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hexadecimal characters.')
      .optional()
      .describe("The file's SHA-256, for the chain of custody"),
    note: singleLine('note', 500).optional().describe('What it shows'),
  }),
  examples: ['/case evidence id:3 link:https://example.org/report.pdf note:"satellite images"'],
  async run(input, ctx) {
    const added = await addEvidence(ctx.db, ctx.actor, {
      id: input.id,
      url: input.link,
      sha256: input.sha256,
      note: input.note,
      now: ctx.now(),
    });
    return {
      kind: 'notice',
      tone: 'success',
      title: `Evidence E${added} added to case ${input.id}`,
      lines: [],
      ephemeral: true,
    };
  },
});

const retract = defineCommand({
  name: 'retract',
  description: 'Retract evidence (kept, marked retracted, with the reason)',
  permission: 'case.work',
  action: 'retract evidence',
  options: z.object({
    evidence: id('evidence').describe('Evidence number (E12 → 12)'),
    reason: singleLine('reason', 500).describe('Why'),
  }),
  examples: ['/case retract evidence:12 reason:"source asked to withdraw"'],
  async run(input, ctx) {
    const caseNumber = await retractEvidence(
      ctx.db,
      ctx.actor,
      { evidenceId: input.evidence, reason: input.reason },
      ctx.now(),
    );
    return card(ctx, caseNumber, `Evidence E${input.evidence} retracted`);
  },
});

function caseList(title: string, rows: Awaited<ReturnType<typeof listCases>>): View {
  return {
    kind: 'notice',
    tone: 'info',
    title: rows.length ? title : `${title}: none`,
    lines: rows.map(
      (row) =>
        `Case ${row.id}: ${row.title} · ${stageLabel(row.stage)}${row.dueOn ? ` · due ${isoDate(row.dueOn)}` : ''}`,
    ),
    ephemeral: true,
  };
}

const listCommand = defineCommand({
  name: 'list',
  description: 'Cases, open ones by default, or those at a stage',
  permission: 'case.view',
  action: 'see cases',
  options: z.object({ stage: choice('stage', CASE_STAGES).optional().describe('Only cases at this stage') }),
  examples: ['/case list', '/case list stage:submitted'],
  async run(input, ctx) {
    return caseList(
      input.stage ? `Cases at ${input.stage}` : 'Open cases',
      await listCases(ctx.db, { stage: input.stage, open: true }),
    );
  },
});

const mine = defineCommand({
  name: 'mine',
  description: 'The cases you are on',
  permission: 'case.view',
  action: 'see cases',
  options: z.object({}),
  examples: ['/case mine'],
  async run(_input, ctx) {
    return caseList('Your cases', await listCases(ctx.db, { memberId: ctx.actor.memberId }));
  },
});

const follow = defineCommand({
  name: 'follow',
  description: 'Follow a case from this workspace: its card and events get a thread here too',
  permission: 'case.work',
  action: 'follow cases',
  options: z.object({ id: caseId() }),
  primary: 'id',
  examples: ['/case follow 3'],
  async run(input, ctx) {
    const added = await followCase(ctx.db, ctx.actor, input.id, channelOf(ctx), ctx.now());
    return {
      kind: 'notice',
      tone: 'success',
      title: added ? `Case ${input.id} is followed here` : `Case ${input.id} already has a thread here`,
      lines: added ? ['Its status card and new events will appear in a thread in the cases channel.'] : [],
      ephemeral: true,
    };
  },
});

const exportCase = defineCommand({
  name: 'export',
  description: 'The dossier as Markdown: targets, evidence with hashes, submissions, timeline',
  permission: 'case.view',
  action: 'export cases',
  options: z.object({ id: caseId() }),
  primary: 'id',
  examples: ['/case export 3'],
  async run(input, ctx) {
    const details = await caseDetails(ctx.db, input.id);
    // A confidential target's details go only to those who may see them, and each such export is on file.
    const targets = [];
    for (const { id: targetId } of details.targets) {
      const target = await getTarget(ctx.db, targetId);
      const visible = await maySee(ctx.db, ctx.actor, target);
      if (!visible) {
        // The dossier (evidence notes, timeline) is the confidential record itself.
        throw new ForbiddenError(
          'This case concerns a confidential target: only admins, its proposer and its case team can export it.',
        );
      }
      if (target.confidential && visible) {
        await recordAudit(ctx.db, {
          actorMemberId: ctx.actor.memberId,
          action: 'target.reveal',
          entityType: 'target',
          entityId: target.id,
          after: { via: `case ${input.id} export` },
        });
      }
      targets.push(target);
    }
    const markdown = caseMarkdown(
      details,
      targets.map((target) => ({
        id: target.id,
        name: target.name,
        kind: target.kind,
        country: target.country,
        position: target.position,
        conduct: target.conduct,
      })),
    );
    return {
      kind: 'file',
      title: `Case ${input.id} dossier`,
      filename: `case-${input.id}.md`,
      content: markdown,
    };
  },
});

const confirm = defineCommand({
  name: 'confirm',
  description: 'Confirm or dismiss a possible designation found on a sanctions list',
  permission: 'case.confirm',
  action: 'confirm designations',
  options: z.object({
    match: id('match').describe('Match number, from the possible-designation message'),
    decision: choice('decision', ['confirm', 'dismiss', 'show'] as const)
      .default('confirm')
      .describe('confirm, dismiss, or show (the entry and evidence, only to you)'),
  }),
  examples: [
    '/case confirm match:4',
    '/case confirm match:4 decision:dismiss',
    '/case confirm match:4 decision:show',
  ],
  async run(input, ctx) {
    if (input.decision === 'show') {
      const match = await matchDetails(ctx.db, ctx.actor, input.match);
      return {
        kind: 'notice',
        tone: 'info',
        title: `Match ${match.id}: ${match.list === 'SDN' ? 'OFAC' : jurisdictionLabel(codeOfStored(match.list))} entry ${match.entryId ?? match.uid} ${match.listedName} (${match.status})`,
        lines: [
          `Kind: ${match.kind}; programs: ${match.programs.join(', ')}; score ${match.score.toFixed(2)}`,
          ...match.evidence,
          ...(match.list === 'SDN'
            ? [`https://sanctionssearch.ofac.treas.gov/Details.aspx?id=${match.uid}`]
            : []),
        ],
        ephemeral: true,
      };
    }
    const outcome = await decideMatch(
      ctx.db,
      ctx.actor,
      input.match,
      input.decision === 'confirm',
      ctx.now(),
    );
    return {
      kind: 'notice',
      tone: 'success',
      title:
        input.decision === 'confirm'
          ? outcome.confidential
            ? `Match ${input.match} confirmed for ${outcome.shown}`
            : `Match ${input.match} confirmed: ${outcome.listedName} (${outcome.list === 'us' ? `OFAC ${outcome.uid}` : `${jurisdictionLabel(outcome.list)} ${outcome.entryId}`})`
          : `Match ${input.match} dismissed`,
      lines: outcome.cases.length ? [`Cases updated: ${outcome.cases.join(', ')}`] : [],
      ephemeral: false,
    };
  },
});

export default defineGroup({
  name: 'case',
  description: 'Tracked cases: from research to submission to designation',
  subcommands: [
    open,
    status,
    move,
    assign,
    submit,
    answer,
    note,
    evidence,
    retract,
    listCommand,
    mine,
    follow,
    exportCase,
    confirm,
  ],
});
