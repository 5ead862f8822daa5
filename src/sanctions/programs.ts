/**
 * OFAC program tags, as they appear in the SDN list's program column. The coalition follows a few
 * (GLOMAG, MAGNIT, ...) but a proposal may suggest any real program; new tags appear over time, so
 * EXTRA_PROGRAMS extends this list without a release.
 */
export const HUMAN_RIGHTS_PROGRAMS = [
  'GLOMAG',
  'MAGNIT',
  'IRAN-HR',
  'HRIT-IR',
  'HRIT-SY',
  'NICARAGUA-NHRAA',
  'HK-EO13936',
  'BURMA-EO14014',
  'UHRPA',
  'ICC-EO14203',
  'CAATSA - RUSSIA',
] as const;

// Tags seen on the SDN list (fixtures from 2021-2022) plus later human-rights programs.
const OTHER_OFAC_PROGRAMS = [
  'BALKANS',
  'BALKANS-EO14033',
  'BELARUS',
  'BELARUS-EO14038',
  'CAATSA - IRAN',
  'CAR',
  'CUBA',
  'CYBER2',
  'CYBER3',
  'DARFUR',
  'DPRK',
  'DPRK-NKSPEA',
  'DPRK2',
  'DPRK3',
  'DPRK4',
  'DRCONGO',
  'ELECTION-EO13848',
  'ETHIOPIA-EO14046',
  'FSE-SY',
  'FTO',
  'HIFPAA',
  'IFCA',
  'IFSR',
  'ILLICIT-DRUGS-EO14059',
  'IRAN',
  'IRAN-CON-ARMS-EO',
  'IRAN-EO13846',
  'IRAN-EO13871',
  'IRAN-EO13876',
  'IRAN-EO13902',
  'IRAN-TRA',
  'IRAQ2',
  'IRAQ3',
  'IRGC',
  'ISA',
  'LEBANON',
  'LIBYA2',
  'LIBYA3',
  'MALI-EO13882',
  'NICARAGUA',
  'NPWMD',
  'NS-PLC',
  'PEESA',
  'PEESA-EO14039',
  'RUSSIA-EO14024',
  'RUSSIA-EO14065',
  'SDGT',
  'SDNT',
  'SDNTK',
  'SOMALIA',
  'SOUTH SUDAN',
  'SSIDES',
  'SUDAN-EO14098',
  'SYRIA',
  'SYRIA-CAESAR',
  'SYRIA-EO13894',
  'TCO',
  'UKRAINE-EO13660',
  'UKRAINE-EO13661',
  'UKRAINE-EO13662',
  'UKRAINE-EO13685',
  'VENEZUELA',
  'VENEZUELA-EO13850',
  'VENEZUELA-EO13884',
  'YEMEN',
  'ZIMBABWE',
] as const;

export type ProgramCatalogue = ReadonlySet<string>;

export function programCatalogue(extra: readonly string[] = []): ProgramCatalogue {
  return new Set([...HUMAN_RIGHTS_PROGRAMS, ...OTHER_OFAC_PROGRAMS, ...extra.map(canonicalProgramTag)]);
}

/** Tags are compared upper-case with single spaces: `caatsa -  russia` is `CAATSA - RUSSIA`. */
export function canonicalProgramTag(tag: string): string {
  return tag.trim().replace(/\s+/g, ' ').toUpperCase();
}
