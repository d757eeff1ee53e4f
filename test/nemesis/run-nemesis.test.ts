import { describe, expect, it } from 'vitest';
import {
  composeNemesis,
  createFinalHeal,
  createSchedule,
  listGenerator,
  NemesisContractError,
  NemesisHealError,
  runNemesis,
  validateNemesis,
  type CompletedNemesisOp,
  type Nemesis,
  type NemesisEvent,
  type NemesisOp,
} from '../../nemesis/index.js';
import { createSerializer } from '../../nemesis/nemesis.js';

/** A nemesis that records what it was asked, for testing the interpreter and wrappers. */
function recorder(fs: string[], log: string[], fail?: string): Nemesis {
  return {
    fs,
    setup: async () => void log.push('setup'),
    invoke: async (op: NemesisOp): Promise<CompletedNemesisOp> => {
      log.push(op.f);
      if (op.f === fail) throw new Error(`${op.f} broke`);
      return { f: op.f, value: { injected: 1, plan: op.value } };
    },
    teardown: async () => {
      log.push(`teardown ${fs.join(',')}`);
      if (fail === 'teardown') throw new NemesisHealError([`${fs[0]} left behind`]);
      return [];
    },
  };
}

/** A virtual clock: sleeping advances it, so the test runs instantly and exactly. */
function virtualTime(): { now: () => number; sleep: (ms: number, s: AbortSignal) => Promise<void>; slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    now: () => t,
    slept,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms * 1e6;
    },
  };
}

describe('the nemesis interpreter', () => {
  it('invokes each op when it is due, records what it did, and heals everything once stopped', async () => {
    const log: string[] = [];
    const events: NemesisEvent[] = [];
    const time = virtualTime();
    const abort = new AbortController();
    const faults = ['partition', 'kill'] as const;
    const generator = createSchedule({ nodes: ['n1', 'n2', 'n3'], faults, seed: 3, intervalS: 1 });
    const done = await runNemesis({
      nemesis: recorder(['start-partition', 'stop-partition', 'kill', 'start'], log),
      generator,
      final: createFinalHeal(faults),
      emit: (e) => {
        events.push(e);
        if (events.length === 4) abort.abort();
      },
      now: time.now,
      sleep: time.sleep,
      signal: abort.signal,
    });
    // Four scheduled ops (two faults, each started and healed), then the final heal phase.
    expect(log.slice(4)).toEqual(['stop-partition', 'start']);
    expect(done).toHaveLength(6);
    expect(events.every((e) => e.type === 'info' && e.process === 'nemesis')).toBe(true);
    expect(events[0]?.value).toMatchObject({ injected: 1 });
    // Every wait lies inside the schedule's bounds for a 1 s interval (quiet 0.5-1 s, hold 0.75-1.25 s).
    expect(time.slept).toHaveLength(4);
    for (const ms of time.slept) expect(ms).toBeGreaterThanOrEqual(500);
    for (const ms of time.slept) expect(ms).toBeLessThanOrEqual(1250);
  });

  it('a stop that arrives while waiting skips the pending fault and still heals', async () => {
    const log: string[] = [];
    const abort = new AbortController();
    const run = runNemesis({
      nemesis: recorder(['start-partition', 'stop-partition'], log),
      generator: createSchedule({ nodes: ['n1', 'n2', 'n3'], faults: ['partition'], seed: 1, intervalS: 3600 }),
      final: createFinalHeal(['partition']),
      emit: () => {},
      now: () => 0,
      signal: abort.signal,
    });
    setTimeout(() => abort.abort(), 20);
    await run;
    expect(log).toEqual(['stop-partition']);
  });

  it('a fault that throws is recorded with its error instead of ending the run', async () => {
    const events: NemesisEvent[] = [];
    await runNemesis({
      nemesis: recorder(['kill', 'start'], [], 'kill'),
      generator: listGenerator([{ f: 'kill', value: { targets: 'one' } }]),
      final: createFinalHeal(['kill']),
      emit: (e) => events.push(e),
      now: () => 0,
      signal: new AbortController().signal,
    });
    expect(events.map((e) => [e.f, e.error])).toEqual([
      ['kill', 'kill broke'],
      ['start', undefined],
    ]);
    expect(events[0]?.value).toMatchObject({ injected: 0 });
  });
});

describe('nemesis wrappers', () => {
  it('the validating wrapper refuses invoke before setup and ops the nemesis does not handle', async () => {
    const n = validateNemesis(recorder(['pause', 'resume'], []));
    await expect(n.invoke({ f: 'pause' })).rejects.toThrow(NemesisContractError);
    await n.setup();
    await expect(n.invoke({ f: 'kill' })).rejects.toThrow(/handles pause, resume, not kill/);
    await expect(n.invoke({ f: 'pause' })).resolves.toMatchObject({ f: 'pause' });
  });

  it('teardown may be called twice', async () => {
    const log: string[] = [];
    const n = validateNemesis(recorder(['pause', 'resume'], log));
    await n.setup();
    await n.teardown();
    await n.teardown();
    expect(log.filter((l) => l.startsWith('teardown'))).toHaveLength(2);
  });

  it('compose routes each op to its owner and refuses two owners for one op', async () => {
    const log: string[] = [];
    const n = composeNemesis([recorder(['kill', 'start'], log), recorder(['pause', 'resume'], log)]);
    await n.invoke({ f: 'resume' });
    await n.invoke({ f: 'kill' });
    expect(log).toEqual(['resume', 'kill']);
    expect(() => composeNemesis([recorder(['kill'], log), recorder(['kill'], log)])).toThrow(/both handle kill/);
  });

  it('compose tears every part down even when one fails, then reports what is left', async () => {
    const log: string[] = [];
    const n = composeNemesis([recorder(['kill'], log), recorder(['pause'], log, 'teardown')]);
    await expect(n.teardown()).rejects.toThrow(/pause left behind/);
    expect(log).toEqual(['teardown pause', 'teardown kill']);
  });

  it('a teardown started during an invoke waits for the invoke to finish', async () => {
    const serial = createSerializer();
    const order: string[] = [];
    let release = (): void => {};
    const invoke = serial(async () => {
      order.push('invoke begins');
      await new Promise<void>((r) => (release = r));
      order.push('invoke ends');
    });
    const teardown = serial(async () => void order.push('teardown'));
    await new Promise((r) => setTimeout(r, 10));
    release();
    await Promise.all([invoke, teardown]);
    expect(order).toEqual(['invoke begins', 'invoke ends', 'teardown']);
  });
});
