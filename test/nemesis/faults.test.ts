import { describe, expect, it } from 'vitest';
import { FAULTS, parseNemesisOption } from '../../nemesis/index.js';
import { computeCoverageSeconds } from '../../nemesis/schedule.js';

describe('--nemesis', () => {
  it('takes a comma list, keeps its order and drops duplicates', () => {
    expect(parseNemesisOption('kill, partition,kill')).toEqual({ faults: ['kill', 'partition'], all: false });
  });

  it('all means every fault but the by-name figure-8, skipping rather than refusing the ones that cannot run', () => {
    expect(parseNemesisOption('all')).toEqual({ faults: FAULTS.filter((f) => f !== 'figure-8'), all: true });
    expect(parseNemesisOption('all,figure-8').faults).toEqual([...FAULTS]);
    expect(parseNemesisOption('figure-8')).toEqual({ faults: ['figure-8'], all: false });
  });

  it('none or nothing means no faults', () => {
    expect(parseNemesisOption('none').faults).toEqual([]);
    expect(parseNemesisOption(undefined).faults).toEqual([]);
  });

  it('an unknown fault is refused with the valid choices listed', () => {
    expect(() => parseNemesisOption('partition,flood')).toThrow(
      /unknown fault "flood"; choose from partition, kill, pause/,
    );
  });

  it('says how long a run needs to try every requested fault once: the kinds run side by side', () => {
    expect(computeCoverageSeconds(4, 10)).toBe(11);
    expect(computeCoverageSeconds(1, 10)).toBe(computeCoverageSeconds(6, 10));
  });
});
