/**
 * Benchmarks (`npm run bench`). None yet: the first figures arrive with the polls and sanctions
 * issues, which name throughput targets. Results go to bench/results/.
 */
process.stdout.write('No benchmarks yet.\n');
