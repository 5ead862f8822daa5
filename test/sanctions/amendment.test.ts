import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeAmendmentText } from '../../src/digest/compose.ts';
import { describeAmendment } from '../../src/sanctions/sdn.ts';
import { withScripts } from '../../src/sanctions/sources/model.ts';
import { READERS } from '../../src/sanctions/sources/sync.ts';

const CANADA = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'canada');

describe('what an amendment changed', () => {
  it("names the listing date Canada added between 2022 and 2025, which the entry's hash sees", async () => {
    const before = await READERS.ca(join(CANADA, 'sema-lmes-2022-05-11.xml'));
    const after = await READERS.ca(join(CANADA, 'sema-lmes-2025-05-25.xml'));
    const key = [...after.entries.keys()].find(
      (candidate) => !before.entries.get(candidate)?.listedOn && after.entries.get(candidate)?.listedOn,
    ) as string;
    const [was, is] = [before.entries.get(key), after.entries.get(key)];
    if (!was || !is) throw new Error('Canada 2025 should date an entry its 2022 list did not');
    const diff = describeAmendment({ ...withScripts(was), uid: 1 }, { ...withScripts(is), uid: 1 });
    expect(diff.otherFields).toContain('listedOn');
    expect(describeAmendmentText(diff)).toContain('updated: listing date');
  });

  it('says which aliases went and which fields changed, in words', () => {
    expect(
      describeAmendmentText({
        aliasesAdded: ['Ivan P.'],
        aliasesRemoved: ['Ivan Petrov'],
        programsAdded: ['GLOMAG'],
        otherFields: ['datesOfBirth', 'documents'],
      }),
    ).toBe(
      'program added: GLOMAG; new alias: Ivan P.; alias removed: Ivan Petrov; updated: date of birth, identity documents',
    );
  });
});
