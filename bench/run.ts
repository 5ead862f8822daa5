import { type Figure, runFootprintBench } from './footprint.ts';
import { runMatchBench } from './match.ts';
import { runMirrorBench } from './mirror.ts';
import { runPollBench } from './polls.ts';
import { runSanctionsBench } from './sanctions.ts';

/** `npm run bench`: every benchmark, results in bench/results/. `npm run bench -- polls` (or footprint, sanctions, match, mirror) runs one. */
const only = process.argv[2];
let failed = false;

if (!only || only === 'footprint') {
  const result = await runFootprintBench();
  const show = (figure: Figure) =>
    `${figure.medianMb} MB (median of 3, ${figure.spreadMb[0]}-${figure.spreadMb[1]}; ${figure.ratioToFloor}x floor)`;
  process.stdout.write(
    [
      `memory of the bot on the console (node dist/main.js), floor: an idle node ${result.floorMb} MB`,
      `  first start, new embedded data directory: peak ${show(result.firstStartPeak)} (goal ${result.goals.firstStartPeakMb} MB)`,
      `  embedded, later start, idle (20 s after a command): ${show(result.embeddedIdle)} (goal ${result.goals.embeddedIdleMb} MB); 5 s after it ${show(result.embeddedAfterCommand)}; peak ${show(result.embeddedPeak)}`,
      result.postgresIdle && result.postgresAfterCommand && result.postgresPeak
        ? `  PostgreSQL server, idle (20 s after a command): ${show(result.postgresIdle)} (goal ${result.goals.postgresIdleMb} MB); 5 s after it ${show(result.postgresAfterCommand)}; peak ${show(result.postgresPeak)}`
        : '  PostgreSQL server: no server answered',
      '',
    ].join('\n'),
  );
}

if (!only || only === 'sanctions') {
  for (const result of await runSanctionsBench()) {
    process.stdout.write(
      [
        `sanctions import, ${result.list}: ${result.records} entries`,
        `  floor (database open; decompress + split): ${result.floor.wallMs} ms (median of 5, ${result.floor.wallSpreadMs.join('-')}), peak RSS ${result.floor.peakRssMb} MB`,
        `  import (read, diff, store): ${result.import.wallMs} ms (median of 5, ${result.import.wallSpreadMs.join('-')}), peak RSS ${result.import.peakRssMb} MB`,
        `  ratio to floor: wall ${result.wallRatio}x (median of 5 floor/import pairs, ${result.wallRatioSpread.join('-')}; goal 3x), peak RSS ${result.rssRatio}x, ${result.rssOverFloorMb} MB above the floor (goal 150 MB)`,
        '',
      ].join('\n'),
    );
  }
}

if (!only || only === 'match') {
  const result = await runMatchBench();
  process.stdout.write(
    [
      `matching ${result.targets} targets against a ${result.list}-entry list`,
      `  floor (reading every name alone): ${result.floorMs} ms`,
      `  index: ${result.indexMs} ms (${result.ratios.index}x floor); all targets: ${result.fullListMs} ms (median of 3, ${result.fullListSpreadMs[0]}-${result.fullListSpreadMs[1]}; ${result.ratios.allTargets}x floor, ${result.perTargetMs} ms per target); ${result.candidatesAboveThreshold} candidates above the threshold`,
      `  one query: p50 ${result.queryMs.p50} ms, p95 ${result.queryMs.p95} ms, max ${result.queryMs.max} ms`,
      `  one publication (${result.publicationAdditions} additions) against all targets: ${result.publicationMs} ms`,
      `  labelled set: ${result.labelled.queries} queries, precision ${result.labelled.precision}, recall ${result.labelled.recall}`,
      ...Object.entries(result.classes).map(
        ([name, counts]) =>
          `    ${name}: ${counts.correct}/${counts.queries} right; precision ${counts.precision.toFixed(2)}, recall ${counts.listed ? counts.recall.toFixed(2) : '-'} (${counts.listed} listed)`,
      ),
      ...result.cascade.map(
        (file) =>
          `  watchman ${file.file} (${file.pairs} pairs, ${file.truePairs} true): ours at ${file.ours.threshold}: ${file.ours.truePositives} right, ${file.ours.falsePositives} false (precision ${file.ours.precision}, recall ${file.ours.recall}); watchman's scores at ${file.watchman.threshold}: ${file.watchman.truePositives} right, ${file.watchman.falsePositives} false (precision ${file.watchman.precision}, recall ${file.watchman.recall})`,
      ),
      `  watchman cross-script pairs: ${result.crossScript.matched} of ${result.crossScript.pairs} at our threshold${result.crossScript.failed.length ? ` (missed: ${result.crossScript.failed.join('; ')})` : ''}`,
      '',
    ].join('\n'),
  );
}

if (!only || only === 'mirror') {
  const result = await runMirrorBench();
  process.stdout.write(
    [
      `cross-list links: every entry of all five lists (${result.entries}) against the others, from no stored link`,
      `  ${result.wallMs} ms (median of 3, ${result.wallSpreadMs[0]}-${result.wallSpreadMs[1]}); peak RSS ${result.extraRssMb} MB above the process with its database open; ${result.links} links`,
      '',
    ].join('\n'),
  );
}

if (!only || only === 'polls') {
  const results = await runPollBench();
  for (const result of results) {
    process.stdout.write(
      [
        `polls on ${result.backend}: ${result.members} members, ranked over ${result.options} options, ${result.inFlight} in flight, ${result.retriedDeliveries} retried deliveries`,
        `  ack latency ms (median of ${result.runs} runs): p50 ${result.ackMs.p50}, p90 ${result.ackMs.p90}, p99 ${result.ackMs.p99} (${result.p99SpreadMs?.join('-')}), max ${result.ackMs.max}; all in ${result.wallMs} ms (goal: p99 under 1 s)`,
        `  throughput: ${result.ballotsPerSecond} ballots/s through the bot, ${result.directBallotsPerSecond}/s as the same SQL writes directly: ratio ${result.throughputRatio} (${result.throughputRatioSpread?.join('-')}; goal 0.5)`,
        `  ballots lost ${result.ballotsLost}, doubled ${result.ballotsDoubled}, wrong ${result.ballotsWrong}`,
        `  Schulze tally of ${result.members} ballots: ${result.tallyMs} ms; close (tally + store + announce): ${result.closeMs} ms; winner option ${result.winner}`,
        '',
      ].join('\n'),
    );
  }
  failed = results.some((result) => result.ballotsLost || result.ballotsDoubled || result.ballotsWrong);
}

if (failed) {
  process.stderr.write('bench: ballots were lost, doubled or wrong\n');
  process.exit(1);
}
