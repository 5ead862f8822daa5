import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's own directory, found by walking up to its package.json: the same answer from the
 * TypeScript sources (src/...) and from the compiled bundle (dist/...), whose files sit at other depths.
 */
export const PACKAGE_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('coalition-bot: cannot find the package directory');
    dir = parent;
  }
  return dir;
})();

/** A file shipped with the package, by its path from the package's directory. */
export function packageFile(path: string): string {
  return join(PACKAGE_ROOT, path);
}
