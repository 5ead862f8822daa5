import { randomInt } from 'node:crypto';
import type { Prisma } from '../generated/prisma/client.ts';
import type { TargetKind, TargetStatus } from '../generated/prisma/enums.ts';
import { buildIndex, searchIndex } from '../sanctions/match/matcher.ts';
import { canonicalProgramTag, type ProgramCatalogue } from '../sanctions/programs.ts';
import { blankEntry } from '../sanctions/sources/model.ts';
import { recordAudit } from './audit.ts';
import {
  blindIndex,
  blindIndexes,
  encryptionConfigured,
  seal,
  sealOptional,
  unseal,
  unsealOptional,
} from './crypto.ts';
import { NotFoundError, UserError } from './errors.ts';
import { nameKeys } from './names.ts';
import { announce } from './outbox.ts';
import type { Actor, Db, Tx } from './tx.ts';

/** Statuses as members write and read them; `case-open` is stored as the enum value `case_open`. */
export const TARGET_STATUSES = [
  'proposed',
  'prioritized',
  'case-open',
  'designated',
  'dropped',
  'held',
] as const;
export type TargetStatusLabel = (typeof TARGET_STATUSES)[number];

export function statusToDb(label: TargetStatusLabel): TargetStatus {
  return label === 'case-open' ? 'case_open' : label;
}

export function statusLabel(status: TargetStatus): TargetStatusLabel {
  return status === 'case_open' ? 'case-open' : status;
}

export type ProposalInput = {
  name: string;
  kind: TargetKind;
  aliases: string[];
  country?: string | undefined;
  position?: string | undefined;
  conduct?: string | undefined;
  evidence: string[];
  programs: string[];
};

/** A target as every view shows it: plain data, no Prisma types. */
export type TargetDetails = {
  id: number;
  kind: TargetKind;
  name: string;
  aliases: string[];
  country: string | null;
  position: string | null;
  conduct: string | null;
  evidence: string[];
  programs: string[];
  status: TargetStatusLabel;
  confidential: boolean;
  /** Confidential targets only: the name shown where not everyone may see the real one. */
  codename: string | null;
  proposedBy: string;
  organization: string;
  createdAt: Date;
  /** Confirmed designations, one per jurisdiction (us, uk, ca, au, eu), oldest first. */
  designations: Array<{ jurisdiction: string; on: string; entry: string }>;
};

const detailsInclude = {
  proposedBy: { select: { displayName: true } },
  proposedByOrganization: { select: { name: true } },
} as const satisfies Prisma.TargetInclude;

/**
 * With the designations too. Only outside transactions: Prisma fetches a to-many relation with a
 * query of its own, in parallel, which a PostgreSQL transaction's single connection does not allow.
 */
const fullInclude = {
  ...detailsInclude,
  designations: { orderBy: { designatedOn: 'asc' } },
} as const satisfies Prisma.TargetInclude;

type TargetWithPeople = Prisma.TargetGetPayload<{ include: typeof detailsInclude }> & {
  designations?: Prisma.TargetGetPayload<{ include: typeof fullInclude }>['designations'];
};

function toDetails(target: TargetWithPeople): TargetDetails {
  return {
    id: target.id,
    kind: target.kind,
    name: unseal(target.primaryName),
    aliases: target.aliases.map(unseal),
    country: target.country,
    position: target.position,
    conduct: unsealOptional(target.conduct),
    evidence: target.evidenceLinks,
    programs: target.programs,
    confidential: target.confidential,
    codename: target.codename,
    status: statusLabel(target.status),
    proposedBy: target.proposedBy.displayName,
    organization: target.proposedByOrganization.name,
    createdAt: target.createdAt,
    designations: (target.designations ?? []).map((designation) => ({
      jurisdiction: designation.jurisdiction,
      on: designation.designatedOn.toISOString().slice(0, 10),
      entry: designation.entryId,
    })),
  };
}

/** The name a target goes by where anyone may read it: its codename when it is confidential. */
export function shownName(target: {
  primaryName: string;
  confidential: boolean;
  codename: string | null;
}): string {
  return target.confidential ? (target.codename ?? 'a confidential target') : unseal(target.primaryName);
}

/** A confidential target as the coalition at large sees it: codename, kind and status, nothing else. */
export function redacted(target: TargetDetails): TargetDetails {
  if (!target.confidential) return target;
  return {
    ...target,
    name: target.codename ?? 'Confidential target',
    aliases: [],
    country: null,
    position: null,
    conduct: null,
    evidence: [],
    programs: [],
    // The entry (and even the date) would tell which listed person the codename stands for.
    designations: [],
  };
}

/** Admins, the proposer and the teams of the target's cases may see a confidential target. */
export async function maySee(
  db: Db | Tx,
  actor: Actor,
  target: { id: number; confidential: boolean; proposedByMemberId?: number },
) {
  if (!target.confidential || actor.role === 'admin') return true;
  if (target.proposedByMemberId === actor.memberId) return true;
  // One rule for a row and for lists: the same query `visibleTo` adds to filters.
  return (await db.target.count({ where: { AND: [{ id: target.id }, visibleTo(actor)] } })) > 0;
}

/**
 * The targets whose attributes `actor` may see, as a query: every plain target, and the confidential
 * ones they proposed or whose case team they are on (admins see all). Filters on attributes
 * (country, program) must go through this, or a filter answers questions about hidden targets.
 */
export function visibleTo(actor: Actor): Prisma.TargetWhereInput {
  if (actor.role === 'admin') return {};
  return {
    OR: [
      { confidential: false },
      { proposedByMemberId: actor.memberId },
      { caseLinks: { some: { case: { members: { some: { memberId: actor.memberId } } } } } },
    ],
  };
}

/** Held proposals are shown to admins and their proposer only, until an admin decides. */
function heldVisibleTo(actor: Actor): Prisma.TargetWhereInput {
  if (actor.role === 'admin') return {};
  return { OR: [{ status: { not: 'held' } }, { proposedByMemberId: actor.memberId }] };
}

const CODE_WORDS = [
  'AMBER',
  'BIRCH',
  'CEDAR',
  'DELTA',
  'EMBER',
  'FJORD',
  'GLACIER',
  'HARBOR',
  'INDIGO',
  'JUNIPER',
  'KESTREL',
  'LANTERN',
  'MERIDIAN',
  'NORTH',
  'OSPREY',
  'PRAIRIE',
  'QUARTZ',
  'RIVER',
  'SIERRA',
  'TUNDRA',
  'UPLAND',
  'VESPER',
  'WILLOW',
  'ZEPHYR',
];

function newCodename(): string {
  const word = CODE_WORDS[randomInt(CODE_WORDS.length)] as string;
  return `${word}-${randomInt(100, 1000)}`;
}

export type ProposalOutcome =
  | { outcome: 'created'; target: TargetDetails }
  | { outcome: 'possible-duplicates'; matches: TargetDetails[] }
  /** Saved, but held: it may duplicate a target the proposer cannot see, which is not named to them. */
  | { outcome: 'held'; target: TargetDetails };

export function checkPrograms(programs: readonly string[], catalogue: ProgramCatalogue): string[] {
  const tags = [...new Set(programs.map(canonicalProgramTag))];
  const unknown = tags.filter((tag) => !catalogue.has(tag));
  if (unknown.length > 0) {
    const plural = unknown.length === 1 ? 'is not an OFAC program tag' : 'are not OFAC program tags';
    throw new UserError(
      `${unknown.join(', ')} ${plural}. Use tags as OFAC writes them, e.g. GLOMAG (Global Magnitsky), MAGNIT, IRAN-HR; /help propose lists them.`,
    );
  }
  return tags;
}

/**
 * Targets whose name or an alias the matcher takes for the proposal's: the same matcher, index and
 * threshold as designations and cross-list links, so "Quan-guo Chen" or "Сергей Шойгу" finds the
 * target proposed as "CHEN, Quanguo" or "Sergei Shoigu". Confidential names are compared in memory
 * and never leave this function.
 */
async function similarTargets(tx: Tx, name: string, aliases: string[]): Promise<number[]> {
  const rows = await tx.target.findMany({
    select: { id: true, kind: true, primaryName: true, aliases: true },
  });
  if (rows.length === 0) return [];
  const index = buildIndex(
    rows.map((row) =>
      blankEntry({
        uid: row.id,
        name: unseal(row.primaryName),
        type: row.kind,
        aliases: row.aliases.map((alias) => ({ name: unseal(alias), strength: 'strong' as const })),
      }),
    ),
  );
  return searchIndex(index, { name, aliases }, { limit: 5 }).map((candidate) => candidate.uid);
}

/**
 * Records a proposed target, unless its name or an alias matches an existing target and the member has
 * not confirmed: then the likely duplicates are returned and nothing is written. When a likely
 * duplicate is one the member may not see, naming it (even by codename) would confirm a guessed
 * confidential name: the proposal is saved as held instead, and the admins are told.
 */
export async function proposeTarget(
  db: Db,
  actor: Actor,
  input: ProposalInput,
  options: { catalogue: ProgramCatalogue; confirmDuplicate: boolean; confidential?: boolean },
): Promise<ProposalOutcome> {
  const programs = checkPrograms(input.programs, options.catalogue);
  const aliases = [...new Set(input.aliases)].filter((alias) => alias !== input.name);
  const keys = nameKeys([input.name, ...aliases]);
  if (keys.length === 0) throw new UserError('The name needs at least one letter or digit.');
  const confidential = options.confidential === true;
  if (confidential && !encryptionConfigured()) {
    throw new UserError(
      'Confidential targets need encryption at rest: ask the operator to set ENCRYPTION_KEY.',
    );
  }
  // Confidential names are looked up by keyed hash (under every configured key, so a target not yet
  // re-hashed by `keys rotate` is still found); plain ones by their keys.
  const blind = encryptionConfigured() ? keys.flatMap(blindIndexes) : [];
  const storedKeys = confidential ? keys.map(blindIndex) : keys;
  return db.$transaction(async (tx) => {
    // Check-then-insert under one lock, so two members proposing one name at once cannot both pass
    // the check (READ COMMITTED would let both see no duplicate).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':target.propose'))`;
    const hidden: number[] = [];
    if (!options.confirmDuplicate || actor.role !== 'admin') {
      const similar = await similarTargets(tx, input.name, aliases);
      const matches = await tx.target.findMany({
        where: { OR: [{ nameKeys: { hasSome: [...keys, ...blind] } }, { id: { in: similar } }] },
        include: detailsInclude,
        orderBy: { id: 'asc' },
        take: 5,
      });
      // One at a time: on PostgreSQL a transaction is one connection, which runs one query at once.
      for (const match of matches) if (!(await maySee(tx, actor, match))) hidden.push(match.id);
      if (hidden.length === 0 && matches.length > 0 && !options.confirmDuplicate)
        return { outcome: 'possible-duplicates', matches: matches.map(toDetails) };
    }
    const held = hidden.length > 0;
    const target = await tx.target.create({
      data: {
        kind: input.kind,
        primaryName: confidential ? seal(input.name) : input.name,
        aliases: confidential ? aliases.map(seal) : aliases,
        nameKeys: storedKeys,
        confidential,
        codename: confidential ? newCodename() : null,
        country: input.country ?? null,
        position: input.position ?? null,
        conduct: sealOptional(input.conduct),
        evidenceLinks: [...new Set(input.evidence)],
        programs,
        proposedByMemberId: actor.memberId,
        proposedByOrganizationId: actor.organizationId,
        ...(held ? { status: 'held' as const } : {}),
      },
      include: detailsInclude,
    });
    const { proposedBy: _member, proposedByOrganization: _organization, ...row } = target;
    await recordAudit(tx, {
      actorMemberId: actor.memberId,
      action: held
        ? 'target.propose-held'
        : options.confirmDuplicate
          ? 'target.propose-confirmed-duplicate'
          : 'target.propose',
      entityType: 'target',
      entityId: target.id,
      after: held ? { ...row, possibleDuplicateOf: hidden } : row,
    });
    const details = toDetails(target);
    if (held) {
      // Admins may see every target: the alert names both numbers (the shown names stay codenames).
      await announce(tx, 'admin', {
        kind: 'notice',
        tone: 'info',
        title: `Proposal #${target.id} held for review`,
        lines: [
          `${actor.displayName} (${details.organization}) proposed a target that may duplicate ${hidden.map((id) => `#${id}`).join(', ')}, which they cannot see.`,
          `Compare them with /target, then /review target:${target.id} decision:keep (announce it as a new proposal) or decision:drop.`,
        ],
        ephemeral: false,
      });
      return { outcome: 'held', target: details };
    }
    await announceProposal(tx, actor.displayName, details);
    return { outcome: 'created', target: details };
  });
}

async function announceProposal(tx: Tx, proposer: string, details: TargetDetails) {
  await announce(tx, 'proposals', {
    kind: 'target',
    headline: `New ${details.confidential ? 'confidential ' : ''}proposal from ${proposer} (${details.organization})`,
    target: redacted(details),
    ephemeral: false,
  });
}

/**
 * An admin's decision on a held proposal: keep it (it becomes a proposal like any other, announced
 * now) or drop it. Audited, and the proposer can see the outcome in /target.
 */
export async function reviewHeldTarget(
  db: Db,
  actor: Actor,
  input: { id: number; decision: 'keep' | 'drop'; reason?: string | undefined },
): Promise<TargetDetails> {
  return db.$transaction(async (tx) => {
    const current = await tx.target.findUnique({ where: { id: input.id }, include: detailsInclude });
    if (!current)
      throw new NotFoundError(`There is no target ${input.id}. /targets status:held lists held ones.`);
    if (current.status !== 'held') throw new UserError(`Target ${input.id} is not held for review.`);
    const status = input.decision === 'keep' ? ('proposed' as const) : ('dropped' as const);
    const updated = await tx.target.update({
      where: { id: input.id },
      data: { status },
      include: detailsInclude,
    });
    await recordAudit(tx, {
      actorMemberId: actor.memberId,
      action: `target.review-${input.decision}`,
      entityType: 'target',
      entityId: input.id,
      before: { status: 'held' },
      after: { status, reason: input.reason ?? null },
    });
    const details = toDetails(updated);
    if (input.decision === 'keep') await announceProposal(tx, updated.proposedBy.displayName, details);
    return details;
  });
}

export type TargetFilters = { status?: TargetStatusLabel; country?: string; program?: string };

export type TargetPage = {
  items: TargetDetails[];
  total: number;
  page: number;
  pageCount: number;
};

export async function listTargets(
  db: Db,
  actor: Actor,
  filters: TargetFilters,
  paging: { page: number; pageSize: number },
): Promise<TargetPage> {
  const attributes = Boolean(filters.country || filters.program);
  const where: Prisma.TargetWhereInput = {
    AND: [
      heldVisibleTo(actor),
      ...(attributes ? [visibleTo(actor)] : []),
      {
        ...(filters.status ? { status: statusToDb(filters.status) } : {}),
        ...(filters.country ? { country: { equals: filters.country, mode: 'insensitive' } } : {}),
        ...(filters.program ? { programs: { has: canonicalProgramTag(filters.program) } } : {}),
      },
    ],
  };
  const [total, rows] = await db.$transaction([
    db.target.count({ where }),
    db.target.findMany({
      where,
      include: detailsInclude,
      orderBy: { id: 'asc' },
      skip: (paging.page - 1) * paging.pageSize,
      take: paging.pageSize,
    }),
  ]);
  return {
    // Lists are shared views: confidential targets appear under their codenames.
    items: rows.map((row) => redacted(toDetails(row))),
    total,
    page: paging.page,
    pageCount: Math.max(1, Math.ceil(total / paging.pageSize)),
  };
}

/** One target; with `viewer`, a held proposal of someone else's is no target at all (admins see it). */
export async function getTarget(db: Db, id: number, viewer?: Actor): Promise<TargetDetails> {
  const target = await db.target.findFirst({
    where: { id, ...(viewer ? heldVisibleTo(viewer) : {}) },
    include: fullInclude,
  });
  if (!target) throw new NotFoundError(`There is no target ${id}. /targets lists them.`);
  return toDetails(target);
}

/** Targets whose number or name starts with or contains `text`, for autocomplete. */
export async function suggestTargets(db: Db, text: string, limit = 25) {
  const query = text.trim().replace(/^#/, '');
  const rows = await db.target.findMany({
    where: /^\d+$/.test(query)
      ? { id: Number(query) }
      : query
        ? { OR: [{ primaryName: { contains: query, mode: 'insensitive' } }, { aliases: { has: query } }] }
        : {},
    orderBy: { id: 'desc' },
    take: limit,
    select: { id: true, primaryName: true, confidential: true, codename: true },
  });
  return rows.map((row) => ({ id: row.id, name: shownName(row) }));
}
