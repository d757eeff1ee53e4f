/**
 * The nemesis as a special process of the one interpreter: its schedule and its final heal run
 * beside the clients, each fault recorded as an invoke when it starts and an info with what it
 * did once applied, so fault windows open when the fault does.
 */
import { describe, expect, it } from 'vitest';
import { nemesisClient } from '../../nemesis/index.js';
import { type CompletedNemesisOp, type Nemesis, type NemesisOp } from '../../nemesis/nemesis.js';
import { createFinalHeal } from '../../nemesis/schedule.js';
import { computeFaultWindows } from '../../nemesis/summary.js';
import { type HistoryEvent } from '../../src/history/index.js';
import { interpret } from '../../src/runner/interpreter.js';
import { Recorder } from '../../src/runner/recorder.js';
import { phases, sequence, timeline, withNemesis, type ClientPool } from '../../workloads/index.js';

/** A nemesis that takes `applyMs` to apply each op and records what it was asked. */
function slowNemesis(applyMs: number, log: string[], fail?: string): Nemesis {
  return {
    fs: ['start-partition', 'stop-partition', 'kill', 'start'],
    setup: async () => {},
    invoke: async (op: NemesisOp): Promise<CompletedNemesisOp> => {
      log.push(op.f);
      await new Promise((r) => setTimeout(r, applyMs));
      if (op.f === fail) throw new Error(`${op.f} broke`);
      return { f: op.f, value: { injected: 1, plan: op.value } };
    },
    teardown: async () => [],
  };
}

const noClients: ClientPool = {
  open: () => ({ invoke: async () => ({ type: 'ok' }) }),
  close: async () => {},
};

function memoryRecorder(): { events: HistoryEvent[]; recorder: Recorder } {
  const events: HistoryEvent[] = [];
  return { events, recorder: new Recorder({ append: (e) => void events.push(e) }) };
}

describe('the nemesis process', () => {
  it('never takes a client op, even one that names no thread, with or without a schedule', async () => {
    for (const nemesisGen of [undefined, createFinalHeal(['partition'])]) {
      const { events, recorder } = memoryRecorder();
      await interpret({
        generator: withNemesis(sequence(Array.from({ length: 20 }, () => ({ f: 'read', value: null }))), nemesisGen),
        pool: noClients,
        recorder,
        threads: 2,
        nemesis: nemesisClient(slowNemesis(1, [])),
      });
      const clientOps = events.filter((e) => e.type === 'invoke' && e.f === 'read');
      expect(clientOps).toHaveLength(20);
      expect(clientOps.filter((e) => e.process === 'nemesis')).toEqual([]);
    }
  });

  it('runs the timeline when due, then the final heal; each op is an invoke at its start and an info after', async () => {
    const { events, recorder } = memoryRecorder();
    const log: string[] = [];
    const origin = recorder.now();
    const plan = [
      { at: 20e6, op: { f: 'start-partition', value: { partition: 'one' } } },
      { at: 60e6, op: { f: 'stop-partition' } },
    ];
    await interpret({
      generator: withNemesis(
        sequence([{ f: 'read', value: null }]),
        phases(timeline(plan, origin), createFinalHeal(['partition', 'kill'])),
      ),
      pool: noClients,
      recorder,
      threads: 1,
      nemesis: nemesisClient(slowNemesis(30, log)),
    });
    expect(log).toEqual(['start-partition', 'stop-partition', 'stop-partition', 'start']);
    const nemesis = events.filter((e) => e.process === 'nemesis');
    expect(nemesis.map((e) => `${e.type} ${e.f}`)).toEqual([
      'invoke start-partition',
      'info start-partition',
      'invoke stop-partition',
      'info stop-partition',
      'invoke stop-partition',
      'info stop-partition',
      'invoke start',
      'info start',
    ]);
    // Due times are kept, and the invoke is stamped before the fault is applied (30 ms here).
    expect(nemesis[0]!.time - origin).toBeGreaterThanOrEqual(19e6);
    expect(nemesis[1]!.time - nemesis[0]!.time).toBeGreaterThanOrEqual(25e6);
    expect(nemesis[1]!.value).toMatchObject({ injected: 1 });
    // The window opens at the invoke, not when the rules were in.
    expect(computeFaultWindows(events)[0]!.start).toBe(nemesis[0]!.time);
    // The client's op ran beside it, as an ordinary process.
    expect(events.filter((e) => e.process === 0).map((e) => e.type)).toEqual(['invoke', 'ok']);
  });

  it('a fault that throws is recorded with its error and the schedule goes on', async () => {
    const { events, recorder } = memoryRecorder();
    await interpret({
      generator: withNemesis(undefined, sequence([{ f: 'kill', value: { targets: 'one' } }, { f: 'start' }])),
      pool: noClients,
      recorder,
      threads: 0,
      nemesis: nemesisClient(slowNemesis(1, [], 'kill')),
    });
    const infos = events.filter((e) => e.process === 'nemesis' && e.type === 'info');
    expect(infos.map((e) => [e.f, e.error])).toEqual([
      ['kill', 'kill broke'],
      ['start', undefined],
    ]);
    expect(infos[0]!.value).toMatchObject({ injected: 0 });
  });

  it('after an abort the clients stop at once, and the final heal still runs to the end', async () => {
    const { events, recorder } = memoryRecorder();
    const abort = new AbortController();
    const log: string[] = [];
    const nemesis = nemesisClient(slowNemesis(1, log));
    const run = interpret({
      generator: withNemesis(undefined, timeline([{ at: 3600e9, op: { f: 'kill', value: {} } }], recorder.now())),
      pool: noClients,
      recorder,
      threads: 0,
      signal: abort.signal,
      nemesis,
    });
    setTimeout(() => abort.abort(), 20);
    await run;
    await interpret({
      generator: withNemesis(undefined, createFinalHeal(['kill'])),
      pool: noClients,
      recorder,
      threads: 0,
      nemesis,
    });
    expect(log).toEqual(['start']);
    expect(events.filter((e) => e.type === 'info').map((e) => e.f)).toEqual(['start']);
  });
});
