import { z } from 'zod';
import { reader } from '../domain/stored.ts';
import type { EntryDiff, SdnEntry } from './sdn.ts';

/**
 * A list entry as the JSON columns hold it (an entry version's data, a change's details), checked
 * when read back rather than cast: a row from an older version or edited by hand fails here, with
 * its column named.
 */
const text = z.string();
const maybeText = z.string().nullable();

export const sdnEntrySchema: z.ZodType<SdnEntry> = z.object({
  uid: z.number().int(),
  type: z.enum(['individual', 'entity', 'vessel', 'aircraft']),
  name: text,
  lastName: maybeText,
  firstName: maybeText,
  programs: z.array(text),
  title: maybeText,
  aliases: z.array(z.object({ name: text, strength: z.enum(['strong', 'weak']), script: text.optional() })),
  nationalities: z.array(text),
  datesOfBirth: z.array(text),
  placesOfBirth: z.array(text),
  addresses: z.array(text),
  documents: z.array(text),
  remarks: maybeText,
  key: text.optional(),
  listId: text.optional(),
  listedOn: maybeText.optional(),
});

export const storedEntry = reader(sdnEntrySchema, 'sanctions_entry_version.data');

/** A change's details: the entry as listed (after the change; before it, for a removal), and for an amendment what changed. */
export const storedChangeEntry = reader(
  z.object({ entry: sdnEntrySchema }).transform((details) => details.entry),
  'sanctions_change.details',
);

const entryDiffSchema: z.ZodType<EntryDiff> = z.object({
  names: z.object({ from: text, to: text }).optional(),
  aliasesAdded: z.array(text).optional(),
  aliasesRemoved: z.array(text).optional(),
  programsAdded: z.array(text).optional(),
  programsRemoved: z.array(text).optional(),
  otherFields: z.array(text).optional(),
});

/** A change's details whole: the entry, and for an amendment what changed. */
export const storedChangeDetails = reader(
  z.object({ entry: sdnEntrySchema, changes: entryDiffSchema.optional() }),
  'sanctions_change.details',
);

/** Only what an amendment changed, without checking the whole entry (filters read every change). */
export const storedAmendment = reader(
  z.object({ changes: entryDiffSchema.optional() }).transform((details) => details.changes),
  'sanctions_change.details',
);
