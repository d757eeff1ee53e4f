/**
 * Images standing in for a user's own, built offline from splitbrain's node image (no registry):
 * one with glibc and node but without iptables and libfaketime, as a typical application image
 * is, and one holding a single file and no libc at all, as a scratch image is.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { ensureBaseImage } from '../../cluster/images/index.js';

const docker = new Docker();

/** The node image's tag, which both images are named after so a new recipe gets new images. */
async function baseTag(): Promise<{ base: string; suffix: string }> {
  const base = (await ensureBaseImage()).tag;
  return { base, suffix: base.split(':')[1] ?? 'latest' };
}

async function exists(tag: string): Promise<boolean> {
  return docker
    .getImage(tag)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

/**
 * An image with Debian's glibc and the host's node at /usr/local/bin/node, without iptables,
 * ip6tables or libfaketime. Built once per machine (its tag follows the node image's).
 */
export async function ensureAppImage(): Promise<string> {
  const { base, suffix } = await baseTag();
  const tag = `splitbrain-test-app:${suffix}`;
  if (await exists(tag)) return tag;
  const nodeBinary = await realpath(process.execPath);
  const strip =
    'rm -f /usr/sbin/iptables* /usr/sbin/ip6tables* /usr/sbin/xtables* /usr/sbin/arptables* /usr/sbin/ebtables* ' +
    '&& rm -rf /usr/lib/x86_64-linux-gnu/faketime && cp /mnt/node /usr/local/bin/node';
  const container = await docker.createContainer({
    Image: base,
    Cmd: ['sh', '-c', strip],
    HostConfig: { NetworkMode: 'none', Binds: [`${nodeBinary}:/mnt/node:ro`] },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode !== 0) throw new Error(`building ${tag}: the strip step exited ${StatusCode}`);
    const [repo, t] = tag.split(':') as [string, string];
    await container.commit({ repo, tag: t });
  } finally {
    await container.remove({ force: true });
  }
  return tag;
}

/** An image of one text file: no shell, no dynamic loader, no libc. */
export async function ensureScratchImage(): Promise<string> {
  const { suffix } = await baseTag();
  const tag = `splitbrain-test-scratch:${suffix}`;
  if (await exists(tag)) return tag;
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-scratch-'));
  try {
    writeFileSync(path.join(dir, 'README'), 'an image with no libc\n');
    const tar = await execa('tar', ['-c', '-C', dir, 'README'], { encoding: 'buffer' });
    await execa('docker', ['import', '-c', 'CMD ["/README"]', '-', tag], { input: tar.stdout });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tag;
}
