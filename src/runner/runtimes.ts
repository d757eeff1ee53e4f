/**
 * Picking the runtime: `--runtime docker|local`, or the best one available (docker when an engine
 * answers and can run nodes, else local processes).
 */
import type { Runtime } from '../../cluster/runtime/runtime.js';
import { DockerRuntime } from '../../cluster/runtime/docker/index.js';

/** The runtime names `--runtime` accepts. */
export const RUNTIME_NAMES = ['docker', 'local'] as const;

/** Loads the local runtime (its module lands separately from docker's). */
async function localRuntime(): Promise<Runtime> {
  const spec = '../../cluster/runtime/local/index.js';
  const mod = (await import(spec)) as Record<string, unknown>;
  const Ctor = (mod.LocalRuntime ?? Object.values(mod).find((v) => typeof v === 'function' && /Local/.test((v as { name: string }).name))) as
    | (new () => Runtime)
    | undefined;
  if (!Ctor) throw new Error('the local runtime is not available in this build');
  return new Ctor();
}

/** Builds the named runtime, or the best available one; says why when the named one cannot run. */
export async function selectRuntime(
  name: string | undefined,
  log: (line: string) => void,
): Promise<Runtime> {
  if (name === 'docker' || name === 'local') {
    const runtime = name === 'docker' ? new DockerRuntime({ log }) : await localRuntime();
    const why = await runtime.unavailableReason();
    if (why) throw new Error(`--runtime ${name} cannot run here: ${why}`);
    return runtime;
  }
  if (name !== undefined) throw new Error(`--runtime: unknown runtime '${name}'; choose one of: ${RUNTIME_NAMES.join(', ')}`);
  const docker = new DockerRuntime({ log });
  const why = await docker.unavailableReason().catch((e: unknown) => String(e));
  if (!why) return docker;
  log(`splitbrain: using the local runtime (docker: ${why})`);
  return localRuntime();
}
