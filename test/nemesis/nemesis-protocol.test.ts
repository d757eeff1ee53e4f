import { describe, expect, it } from 'vitest';
import { NemesisContractError, NemesisHealError } from '../../nemesis/errors.js';
import {
  composeNemesis,
  validateNemesis,
  type CompletedNemesisOp,
  type Nemesis,
  type NemesisOp,
} from '../../nemesis/nemesis.js';
import { createSerializer } from '../../nemesis/nemesis.js';

/** A nemesis that records what it was asked, for testing the wrappers. */
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
