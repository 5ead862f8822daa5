import { runPollBench } from './polls.ts';

/** `npm run bench`: every benchmark, results in bench/results/. */
const results = await runPollBench();
for (const result of results) {
  process.stdout.write(
    [
      `polls on ${result.backend}: ${result.members} members, ranked over ${result.options} options, ${result.inFlight} in flight, ${result.retriedDeliveries} retried deliveries`,
      `  ack latency ms: p50 ${result.ackMs.p50}, p90 ${result.ackMs.p90}, p99 ${result.ackMs.p99}, max ${result.ackMs.max}; all in ${result.wallMs} ms`,
      `  ballots lost ${result.ballotsLost}, doubled ${result.ballotsDoubled}, wrong ${result.ballotsWrong}`,
      `  Schulze tally of ${result.members} ballots: ${result.tallyMs} ms; close (tally + store + announce): ${result.closeMs} ms; winner option ${result.winner}`,
      '',
    ].join('\n'),
  );
}
if (results.some((result) => result.ballotsLost || result.ballotsDoubled || result.ballotsWrong)) {
  process.stderr.write('bench: ballots were lost, doubled or wrong\n');
  process.exit(1);
}
