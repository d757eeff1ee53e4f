/**
 * The helpers every nemesis is built from: the per-node fan-out, op completion, the healing
 * teardown, and target resolution that asks the DB for a leader only when the plan needs one.
 */
import { describe, expect, it } from 'vitest';
import { NemesisHealError } from '../../nemesis/errors.js';
import { completeOp, createSerializer, forEachNode, healingTeardown } from '../../nemesis/nemesis.js';
import { createRng } from '../../workloads/index.js';
import { resolveTargets } from '../../nemesis/targets.js';
import { renderReplaceScript } from '../../nemesis/iptables.js';

describe('nemesis helpers', () => {
  it('a fan-out counts the nodes it acted on and names each node that failed with why', async () => {
    const r = await forEachNode(['n1', 'n2', 'n3'], async (name) => {
      if (name === 'n2') throw new Error('no such process');
    });
    expect(r).toEqual({ done: 2, errors: ['n2: no such process'] });
  });

  it('a sequential fan-out acts on one node after another, in the order given', async () => {
    const order: string[] = [];
    await forEachNode(
      ['n3', 'n1', 'n2'],
      async (name) => {
        order.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, name === 'n3' ? 30 : 1));
        order.push(`end ${name}`);
      },
      { sequential: true },
    );
    expect(order).toEqual(['start n3', 'end n3', 'start n1', 'end n1', 'start n2', 'end n2']);
  });

  it('an op with failures carries them as its error, and one without has no error at all', () => {
    expect(completeOp('kill', { injected: 1 }, [])).toEqual({ f: 'kill', value: { injected: 1 } });
    expect(completeOp('kill', { injected: 1 }, ['n1: a', 'n2: b'])).toEqual({
      f: 'kill',
      value: { injected: 1 },
      error: 'n1: a; n2: b',
    });
  });

  it('teardown heals only what is in force, and says what it could not heal', async () => {
    let inForce = true;
    let heals = 0;
    const heal = async () => {
      heals++;
      inForce = false;
      return { f: 'resume', value: { healed: 1 } };
    };
    const teardown = healingTeardown(createSerializer(), () => inForce, heal, 'pause: could not resume');
    expect(await teardown()).toEqual([{ f: 'resume', value: { healed: 1 } }]);
    expect(await teardown()).toEqual([]);
    expect(heals).toBe(1);

    const failing = healingTeardown(
      createSerializer(),
      () => true,
      async () => ({ f: 'start', value: { healed: 0 }, error: 'n1: spawn failed' }),
      'kill: could not restart',
    );
    await expect(failing()).rejects.toThrow(NemesisHealError);
    await expect(failing()).rejects.toThrow('kill: could not restart: n1: spawn failed');
  });

  it('targets the schedule drew are used as they are, and only a leader plan asks the DB who leads', async () => {
    const nodes = ['n1', 'n2', 'n3'];
    let asked = 0;
    const askLeader = async () => {
      asked++;
      return 'n2';
    };
    expect(await resolveTargets({ targets: 'one', nodes: ['n3'] }, nodes, createRng(1), askLeader)).toEqual(['n3']);
    expect(await resolveTargets({ targets: 'all' }, nodes, createRng(1), askLeader)).toEqual(nodes);
    expect(asked).toBe(0);
    expect(await resolveTargets({ targets: 'leader' }, nodes, createRng(1), askLeader)).toEqual(['n2']);
    expect(asked).toBe(1);
    expect(await resolveTargets({ targets: 'leader' }, nodes, createRng(1), async () => undefined)).toEqual([]);
  });

  it('moving from one partition to the next swaps the rules in one commit and keeps the chain, so no link opens between', () => {
    const script = renderReplaceScript(
      'SPLITBRAIN-PARTITION',
      [['-s', '10.0.0.2/32', '-j', 'DROP']],
      [
        ['-s', '10.0.0.2/32', '-j', 'DROP'],
        ['-s', '10.0.0.3/32', '-j', 'DROP'],
      ],
    );
    expect(script.split('\n')).toEqual([
      '*filter',
      '-D SPLITBRAIN-PARTITION -s 10.0.0.2/32 -j DROP',
      '-A SPLITBRAIN-PARTITION -s 10.0.0.2/32 -j DROP',
      '-A SPLITBRAIN-PARTITION -s 10.0.0.3/32 -j DROP',
      'COMMIT',
      '',
    ]);
  });
});
