/**
 * The import graph of the source tree, read from the files themselves with
 * TypeScript's own pre-processor (every `import`, `import type`,
 * `export ... from` and `import()`), for the architecture test.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every file under `dir` (absolute) whose name ends with one of `exts`, skipping declaration files. */
export function sourceFiles(dir: string, exts: readonly string[] = ['.ts', '.tsx', '.cts']): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p, exts));
    else if (exts.some((x) => e.name.endsWith(x)) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** The module specifiers `file` imports, as written. */
export function specifiers(file: string): string[] {
  return ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

/**
 * The file a relative specifier names (`./x.js` is `./x.ts` in the source,
 * `./x.cjs` is `./x.cts`), or null for a package (`node:fs`, `ws`).
 */
export function resolveSpecifier(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base.replace(/\.cjs$/, '.cts'), base, `${base}.ts`, path.join(base, 'index.ts')];
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  if (!found) throw new Error(`${path.relative(ROOT, from)} imports '${spec}', which names no file`);
  return found;
}

/** Each file's imports resolved to files (packages left out), keyed and valued by path relative to ROOT. */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const targets = specifiers(f)
      .map((s) => resolveSpecifier(f, s))
      .filter((t): t is string => t !== null)
      .map((t) => path.relative(ROOT, t));
    graph.set(path.relative(ROOT, f), [...new Set(targets)]);
  }
  return graph;
}

/** One cycle of `graph` as the path that closes it (`[a, b, a]`), or null when the graph has none. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (node: string): string[] | null => {
    const at = onPath.indexOf(node);
    if (at >= 0) return [...onPath.slice(at), node];
    if (done.has(node)) return null;
    onPath.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    onPath.pop();
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}
