import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, findCycle, importGraph, sourceFiles, specifiers } from './import-graph.js';

const inside = (dir: string) => (file: string) => file.startsWith(`${dir}/`);
const appGraph = importGraph(sourceFiles(path.join(ROOT, 'app')));

describe('the import graph', () => {
  it('finds a cycle when there is one, and none in a tree', () => {
    const withCycle = new Map([['a', ['b']], ['b', ['c', 'd']], ['c', ['a']], ['d', []]]);
    expect(findCycle(withCycle)).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', ['a']]]))).toEqual(['a', 'a']);
    expect(findCycle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toBeNull();
  });

  it('reads every kind of import from a real file: values, types and re-exports', () => {
    // app/index.ts re-exports the contract and imports the host's modules.
    expect(appGraph.get('app/index.ts')).toEqual(expect.arrayContaining(['app/contract/index.ts', 'app/engine.ts', 'app/host/service.ts']));
    expect(specifiers(path.join(ROOT, 'app/host/web-server.ts'))).toEqual(expect.arrayContaining(['node:http', 'ws']));
    expect(appGraph.size).toBeGreaterThan(50);
  });

  it('of app/ has no cycle', () => {
    const cycle = findCycle(appGraph);
    expect(cycle, cycle ? `import cycle: ${cycle.join(' -> ')}` : '').toBeNull();
  });

  it('has no arrow out of app/contract/: the contract imports nothing, not even a package', () => {
    const contract = [...appGraph.keys()].filter(inside('app/contract'));
    expect(contract).toContain('app/contract/index.ts');
    for (const file of contract) {
      expect(appGraph.get(file)!.filter((t) => !inside('app/contract')(t)), file).toEqual([]);
      expect(specifiers(path.join(ROOT, file)).filter((s) => !s.startsWith('./')), file).toEqual([]);
    }
  });

  it('takes renderer/ into app/ only through app/contract/, and main/ only through app/index.ts or the contract index', () => {
    const renderer = importGraph(sourceFiles(path.join(ROOT, 'renderer/src')));
    const intoApp = (g: Map<string, string[]>) => [...g].flatMap(([from, to]) => to.filter(inside('app')).map((t) => `${from} -> ${t}`));
    expect(intoApp(renderer).length).toBeGreaterThan(0);
    expect(intoApp(renderer).filter((arrow) => !arrow.includes('-> app/contract/'))).toEqual([]);
    const main = importGraph(sourceFiles(path.join(ROOT, 'main')));
    expect(intoApp(main).filter((arrow) => !/-> app\/(index|contract\/index)\.ts$/.test(arrow))).toEqual([]);
  });
});
