export function bundle(root: string, entryPoints: Record<string, string>, outdir: string): Promise<unknown>;
