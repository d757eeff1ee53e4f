/**
 * `splitbrain sim` exit codes and output, run in-process through the command's handler.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { simCommand } from '../../../src/cli/commands/sim.js';

function runSim(args: { seeds: number; seed: number; bug: string[] }): { code: number | undefined; out: string } {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    process.exitCode = undefined;
    void simCommand.handler({ ...args, 'time-limit': 10, verbose: false, _: [], $0: 'splitbrain' } as never);
    const code = process.exitCode as number | undefined;
    return { code, out };
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
}

describe('splitbrain sim command', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('exits 0 and says so when every run is valid', () => {
    const { code, out } = runSim({ seeds: 5, seed: 100, bug: [] });
    expect(code).toBe(0);
    expect(out).toMatch(/valid: all 5 run\(s\)/);
  }, 120_000);

  it('exits 1 with the seed, the broken property and a reproduce line when a bug is caught', () => {
    const { code, out } = runSim({ seeds: 50, seed: 1, bug: ['ack-before-persist'] });
    expect(code).toBe(1);
    expect(out).toMatch(/INVALID: seed \d+/);
    expect(out).toMatch(/violated|not linearizable/);
    expect(out).toMatch(/reproduce: splitbrain sim --seeds 1 --seed \d+ --bug ack-before-persist/);
  }, 120_000);
});
