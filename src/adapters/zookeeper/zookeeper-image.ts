/**
 * The Docker image ZooKeeper nodes run: splitbrain's node image plus Debian's zookeeper and a
 * headless JRE, installed with apt in a container of the node image and committed. No registry is
 * involved (the node image itself is built offline with debootstrap); apt needs the Debian
 * mirror. Built once per machine: the tag is a hash of the node image and the package list.
 */
import { createHash } from 'node:crypto';
import { execa } from 'execa';
import { ensureNodeImage } from '../../index.js';

/** Debian packages added to the node image. */
export const ZK_IMAGE_PACKAGES = ['zookeeper', 'default-jre-headless'];

/** Returns the ZooKeeper image's tag, building it first if this machine does not have it. */
export async function zookeeperImage(log: (line: string) => void): Promise<string> {
  const base = (await ensureNodeImage({ log })).tag;
  const tag = `splitbrain-zookeeper:${createHash('sha256').update(JSON.stringify({ base, ZK_IMAGE_PACKAGES })).digest('hex').slice(0, 12)}`;
  if ((await execa('docker', ['image', 'inspect', tag], { reject: false })).exitCode === 0) return tag;
  const builder = `splitbrain-zookeeper-build-${process.pid}-${Date.now()}`;
  log(`splitbrain: building ${tag} (${base} + ${ZK_IMAGE_PACKAGES.join(', ')} from Debian), once per machine`);
  try {
    const install = `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${ZK_IMAGE_PACKAGES.join(' ')} && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb`;
    const run = await execa('docker', ['run', '--name', builder, base, 'sh', '-c', install], {
      reject: false,
      all: true,
    });
    if (run.exitCode !== 0)
      throw new Error(`installing ${ZK_IMAGE_PACKAGES.join(', ')} failed: ${(run.all ?? '').slice(-500)}`);
    await execa('docker', ['commit', '--change', 'CMD ["sleep","infinity"]', builder, tag]);
  } finally {
    await execa('docker', ['rm', '-f', builder], { reject: false });
  }
  return tag;
}
