/**
 * The architecture, as the import graph shows it: the checker stands alone, raftkv knows nothing
 * of the toolkit, and one folder reaches another only through that folder's index.ts.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bypassingEdges, isInside, readImportGraph, topFolder, type ImportEdge } from './support/import-graph.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const edges = readImportGraph(ROOT);
const show = (e: ImportEdge): string => `${e.from}:${e.line} imports ${e.to}`;

describe('the import graph', () => {
  it('is read from the source (a sanity check that the reader finds the imports)', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(edges.some((e) => e.from === path.join('src', 'runner', 'run-test.ts'))).toBe(true);
  });

  it('has checker/ import nothing from another top-level folder', () => {
    expect(edges.filter((e) => topFolder(e.from) === 'checker' && topFolder(e.to) !== 'checker').map(show)).toEqual([]);
  });

  it('has cluster/raftkv/ import nothing of the toolkit (src, nemesis, workloads, checker)', () => {
    const toolkit = ['src', 'nemesis', 'workloads', 'checker'];
    const raftkv = path.join('cluster', 'raftkv');
    expect(edges.filter((e) => isInside(e.from, raftkv) && toolkit.includes(topFolder(e.to))).map(show)).toEqual([]);
  });

  it("has every import into another folder go through that folder's index.ts", () => {
    expect(bypassingEdges(ROOT, edges).map(show)).toEqual([]);
  });
});
