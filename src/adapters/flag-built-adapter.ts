/**
 * A bundled adapter built from command-line flags of its own, because what it runs is itself a
 * flag (`--db maelstrom --bin PATH`) or because its flags tune the system it starts (raftkv's
 * `--max-entries-per-msg`). The adapter's file declares its flags and how they become
 * an adapter; the `test` command only registers them, refuses them beside another `--db`, and
 * calls `build`, so no flag of one system is named in the CLI.
 */
import type { Options } from 'yargs';
import type { Adapter } from '../index.js';

/** An adapter and what its flags add to a run's name and results. */
export interface FlagBuiltRun {
  adapter: Adapter;
  /** Names the run's store folder, e.g. `maelstrom-raft-node`. */
  label: string;
  /** Entries added to results.json's params, e.g. the binary and its arguments. */
  params: Record<string, unknown>;
}

/** A bundled adapter built from its own flags. */
export interface FlagBuiltAdapter {
  /** The `--db` name. */
  readonly name: string;
  /** How `--db`'s help names it, e.g. `maelstrom (with --bin)`. */
  readonly summary: string;
  /** Its flags as yargs option specs, by flag name; each flag's help says which `--db` it is for. */
  readonly flags: Readonly<Record<string, Options>>;
  /**
   * Builds the adapter from the parsed command line (flag names as given, kebab-case). Throws
   * an Error whose message is a one-line usage refusal when a flag is missing or bad.
   */
  build(argv: Readonly<Record<string, unknown>>): FlagBuiltRun;
}

/** The first of `adapter`'s flags set on the command line (absent, false and empty lists are unset), or undefined. */
export function firstFlagGiven(adapter: FlagBuiltAdapter, argv: Readonly<Record<string, unknown>>): string | undefined {
  return Object.keys(adapter.flags).find((flag) => {
    const v = argv[flag];
    return v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0);
  });
}
