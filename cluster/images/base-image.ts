/**
 * The Docker image every node runs: Debian bookworm with iptables, iproute2, procps,
 * libfaketime, etcd-server and tini. On a machine with no registry (like CI) it is built from a
 * debootstrap'd rootfs and `docker import`ed; Debian's own nodejs is too old, so containers get
 * the host's node binary and the project folder bind-mounted read-only instead.
 *
 * The tag is a hash of the recipe, so the image is built once per machine and rebuilt only when
 * the recipe changes. A lock folder keeps two processes from building it at the same time.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Docker from 'dockerode';
import { execa } from 'execa';

/** Debian packages installed in the image (besides the minbase variant). */
export const BASE_PACKAGES = ['iptables', 'iproute2', 'procps', 'libfaketime', 'etcd-server', 'tini', 'libstdc++6'];

/** The Debian release the image is built from. */
export const BASE_SUITE = 'bookworm';

/** The repository name of the image; the tag is the recipe hash. */
export const BASE_REPO = 'splitbrain-base';

const RECIPE_VERSION = 2;

/** How an image is built: debootstrap + import (offline) or the Dockerfile (needs a registry). */
export type BuildMethod = 'debootstrap' | 'dockerfile';

/** The image reference for the current recipe, e.g. `splitbrain-base:3f2a91c04d1e`. */
export function baseImageTag(method: BuildMethod = 'debootstrap'): string {
  const dockerfile = readFileSync(new URL('./base.Dockerfile', dockerfileDir()), 'utf8');
  const recipe = JSON.stringify({
    RECIPE_VERSION,
    BASE_PACKAGES,
    BASE_SUITE,
    method,
    dockerfile: method === 'dockerfile' ? dockerfile : '',
  });
  return `${BASE_REPO}:${createHash('sha256').update(recipe).digest('hex').slice(0, 12)}`;
}

// The Dockerfile is not compiled; find it in the source tree whether running from dist/ or not.
function dockerfileDir(): URL {
  const here = new URL('.', import.meta.url);
  if (existsSync(new URL('./base.Dockerfile', here))) return here;
  return new URL('../../../cluster/images/', here);
}

/** The Debian mirror apt uses on this machine (from /etc/apt/sources.list*), or deb.debian.org. */
export function debianMirror(): string {
  const files = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) for (const f of readdirSync(dir)) files.push(path.join(dir, f));
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    // deb822 (URIs: ...) and one-line (deb URL suite ...) formats; the main archive, not security.
    for (const m of text.matchAll(/^(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(\S+)/gm)) {
      const uri = m[1]!;
      if (/\/debian\/?$/.test(uri) && !uri.includes('security')) return uri.replace(/\/$/, '');
    }
  }
  return 'http://deb.debian.org/debian';
}

/** Says whether the image for the current recipe exists in the engine. */
export async function baseImageExists(docker = new Docker(), tag = baseImageTag()): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

export interface BuildOptions {
  /**
   * How to build when no image exists (default 'auto': use whichever image is already built,
   * else debootstrap when running as root with debootstrap installed, else the Dockerfile).
   */
  method?: BuildMethod | 'auto';
  /** Rebuild even if the tag exists. */
  force?: boolean;
  log?: (line: string) => void;
}

/** What ensureBaseImage did. */
export interface BuildResult {
  tag: string;
  built: boolean;
  seconds: number;
}

async function withLock<T>(name: string, fn: () => Promise<T>, log: (line: string) => void): Promise<T> {
  const lock = path.join(tmpdir(), `splitbrain-${name}.lock`);
  for (let waited = 0; ; waited++) {
    try {
      await mkdir(lock);
      await writeFile(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // Someone holds it; take it over if its owner died.
      const owner = Number(await readFile(path.join(lock, 'pid'), 'utf8').catch(() => '0'));
      const alive =
        owner > 0 &&
        (() => {
          try {
            process.kill(owner, 0);
            return true;
          } catch {
            return false;
          }
        })();
      const age = await stat(lock)
        .then((s) => Date.now() - s.mtimeMs)
        .catch(() => 0);
      if (!alive && age > 5_000) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (waited % 30 === 0) log(`waiting for another process building the image (pid ${owner})`);
      await sleep(1_000);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path.join(lock, 'pid'), { force: true });
    await rmdir(lock).catch(() => undefined);
  }
}

/**
 * Makes sure the node image exists, building it if needed, and returns its tag. The debootstrap
 * method needs root, debootstrap and a reachable Debian mirror (about a minute the first time).
 */
export async function ensureBaseImage(opts: BuildOptions = {}): Promise<BuildResult> {
  const log = opts.log ?? (() => undefined);
  const docker = new Docker();
  const method =
    opts.method === undefined || opts.method === 'auto' ? await pickMethod(docker, opts.force) : opts.method;
  const tag = baseImageTag(method);
  const t0 = performance.now();
  if (!opts.force && (await baseImageExists(docker, tag))) return { tag, built: false, seconds: 0 };
  return withLock(
    'image',
    async () => {
      if (!opts.force && (await baseImageExists(docker, tag)))
        return { tag, built: false, seconds: (performance.now() - t0) / 1000 };
      if (method === 'dockerfile') await buildFromDockerfile(tag, log);
      else await buildWithDebootstrap(tag, log);
      return { tag, built: true, seconds: (performance.now() - t0) / 1000 };
    },
    log,
  );
}

/** Says whether this process can build the image offline (root, with debootstrap installed). */
export async function canDebootstrap(): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  const r = await execa('debootstrap', ['--version'], { reject: false });
  return !(r.failed && r.exitCode === undefined);
}

async function pickMethod(docker: Docker, force?: boolean): Promise<BuildMethod> {
  if (!force) {
    for (const m of ['debootstrap', 'dockerfile'] as const)
      if (await baseImageExists(docker, baseImageTag(m))) return m;
  }
  return (await canDebootstrap()) ? 'debootstrap' : 'dockerfile';
}

async function buildFromDockerfile(tag: string, log: (line: string) => void): Promise<void> {
  const dir = new URL('.', new URL('./base.Dockerfile', dockerfileDir())).pathname;
  log(`docker build -f ${dir}base.Dockerfile -t ${tag}`);
  await execa('docker', ['build', '-f', path.join(dir, 'base.Dockerfile'), '-t', tag, dir], {
    stdout: 'inherit',
    stderr: 'inherit',
  });
}

async function buildWithDebootstrap(tag: string, log: (line: string) => void): Promise<void> {
  if (process.getuid?.() !== 0)
    throw new Error('building the node image with debootstrap needs root; run `sudo splitbrain images build`');
  const which = await execa('debootstrap', ['--version'], { reject: false });
  if (which.failed && which.exitCode === undefined) {
    throw new Error(
      'debootstrap is not installed (apt-get install debootstrap), and no image exists; or build from the Dockerfile with a registry: `splitbrain images build --method dockerfile`',
    );
  }
  const mirror = debianMirror();
  const rootfs = path.join('/var/tmp', `splitbrain-rootfs-${tag.split(':')[1]}`);
  await rm(rootfs, { recursive: true, force: true });
  try {
    log(`debootstrap ${BASE_SUITE} from ${mirror} into ${rootfs}`);
    const boot = await execa(
      'debootstrap',
      ['--variant=minbase', `--include=${BASE_PACKAGES.join(',')}`, BASE_SUITE, rootfs, mirror],
      { reject: false, all: true },
    );
    if (boot.failed) {
      const debootLog = await readFile(path.join(rootfs, 'debootstrap', 'debootstrap.log'), 'utf8').catch(() => '');
      throw new Error(
        `debootstrap failed (exit ${boot.exitCode}):\n${(boot.all ?? '').slice(-3000)}\n${debootLog.slice(-3000)}`,
      );
    }
    // Smaller image: no apt lists, caches or docs are needed inside a node.
    for (const sub of [
      'var/cache/apt/archives',
      'var/lib/apt/lists',
      'usr/share/doc',
      'usr/share/man',
      'usr/share/locale',
    ]) {
      await rm(path.join(rootfs, sub), { recursive: true, force: true });
    }
    log(`docker import -> ${tag}`);
    const imported = await execa('tar', ['-C', rootfs, '-c', '.'], { buffer: false }).pipe(
      'docker',
      ['import', '--change', 'CMD ["sleep","infinity"]', '--change', 'LABEL splitbrain.image=base', '-', tag],
      { reject: false, all: true },
    );
    if (imported.failed) throw new Error(`docker import failed: ${imported.all ?? ''}`);
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}
