/**
 * Picking the runtime for `splitbrain test`: `--runtime docker|local|ssh`, or the best one available
 * (docker when an engine answers and can run nodes, else local processes), saying which and why.
 */
import { selectRuntime as pickRuntime, type Runtime, type SshRuntimeOptions } from '../../cluster/runtime/index.js';

/** The runtime names `--runtime` accepts. */
export const RUNTIME_NAMES = ['docker', 'local', 'ssh'] as const;

/** Builds the named runtime, or the best available one; throws with the reason when the named one cannot run. */
export async function selectRuntime(
  name: string | undefined,
  log: (line: string) => void,
  ssh?: SshRuntimeOptions,
): Promise<Runtime> {
  if (name !== undefined && !(RUNTIME_NAMES as readonly string[]).includes(name)) {
    throw new Error(`--runtime: unknown runtime '${name}'; choose one of: ${RUNTIME_NAMES.join(', ')}`);
  }
  const runtime = await pickRuntime((name as (typeof RUNTIME_NAMES)[number] | undefined) ?? 'auto', {
    log,
    ...(ssh ? { ssh } : {}),
  });
  if (name === undefined) log(`splitbrain: runtime ${runtime.name} (the best available here)`);
  return runtime;
}
