/**
 * Whether the host's libfaketime can be preloaded into processes of a user's image. It is built
 * against the host's glibc, so it loads only under a glibc-compatible dynamic loader at the same
 * path, new enough for the symbol versions it needs. The probe asks the image's own loader to
 * resolve the library (`ld.so --list`) in a throwaway container with no network: an image without
 * that loader (musl, static) cannot start it, and a too-old glibc names the missing version.
 */
import type Docker from 'dockerode';
import { hostHasFaketime, LIBFAKETIME } from '../faketime.js';
import { RUN_LABEL } from '../run-tag.js';
import type { StartedNode } from '../runtime.js';
import { demuxLogs } from './docker-logs.js';
import { isDockerNode } from './docker-node.js';
import { CONTAINER_FAKETIME_LIB } from './node-container.js';

/** The glibc dynamic loader's path on this machine's architecture. */
const GLIBC_LOADER: string = process.arch === 'arm64' ? '/lib/ld-linux-aarch64.so.1' : '/lib64/ld-linux-x86-64.so.2';

/** Why libfaketime cannot be preloaded in `image` run beside `node`, or undefined when it can. */
export async function faketimeProblem(node: StartedNode, image: string): Promise<string | undefined> {
  if (!isDockerNode(node)) return `node ${node.name} is not a Docker container`;
  if (!hostHasFaketime()) return `libfaketime is not installed on this host (${LIBFAKETIME})`;
  const { docker, runId } = node;
  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      Image: image,
      Entrypoint: [GLIBC_LOADER],
      Cmd: ['--list', CONTAINER_FAKETIME_LIB],
      Labels: { [RUN_LABEL]: runId },
      NetworkDisabled: true,
      HostConfig: { NetworkMode: 'none', Binds: [`${LIBFAKETIME}:${CONTAINER_FAKETIME_LIB}:ro`] },
    });
  } catch (err) {
    return `image ${image} cannot be probed for its libc: ${(err as Error).message.split('\n')[0]}`;
  }
  try {
    try {
      await container.start();
    } catch {
      return `image ${image} has no glibc dynamic loader at ${GLIBC_LOADER} (a musl or static image), so the host's libfaketime cannot be preloaded`;
    }
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const raw = (await container.logs({ stdout: true, stderr: true })) as unknown as Buffer;
    // A missing library or symbol version is printed as "not found", whatever the exit status.
    const text = demuxLogs(raw).toString('utf8');
    if (StatusCode === 0 && !/not found/.test(text)) return undefined;
    const said = text
      .trim()
      .split('\n')
      .find((l) => /not found|error/i.test(l));
    return `the host's libfaketime does not load under the glibc of image ${image}${said ? ` (${said.trim()})` : ` (exit ${StatusCode})`}`;
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
