import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // PGlite and the spawned bot are CPU-heavy; two workers match the machines' two cores.
    pool: 'forks',
    maxWorkers: 2,
    // Test files share a worker's modules and its embedded database (handed from file to file,
    // emptied): the suite takes a quarter less time. Each file still starts from empty tables.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
