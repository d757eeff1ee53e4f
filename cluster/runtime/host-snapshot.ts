/**
 * A text snapshot of everything a run could leave behind on the host: containers, Docker
 * networks, network namespaces, links and the host's iptables rules. Taken before and after a
 * run, two snapshots must be equal; tests compare them.
 */
import { execa } from 'execa';

/** One section per tool; each a sorted list of lines. */
export type HostSnapshot = Record<string, string[]>;

async function lines(cmd: string, args: string[]): Promise<string[] | undefined> {
  const r = await execa(cmd, args, { reject: false });
  if (r.failed && r.exitCode === undefined) return undefined; // tool missing
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/**
 * Takes a snapshot. `ignore` drops lines belonging to something else running at the same time
 * (another test's run), so a comparison speaks only for the run under test.
 */
export async function hostSnapshot(ignore: (line: string) => boolean = () => false): Promise<HostSnapshot> {
  const sections: Record<string, [string, string[]]> = {
    'docker ps -a': ['docker', ['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}} {{.Image}} {{.Labels}}']],
    'docker network ls': [
      'docker',
      ['network', 'ls', '--no-trunc', '--format', '{{.ID}} {{.Name}} {{.Driver}} {{.Labels}}'],
    ],
    'ip netns': ['ip', ['netns', 'list']],
    'ip link': ['ip', ['-o', 'link', 'show']],
    'iptables-save': ['iptables-save', []],
  };
  const snap: HostSnapshot = {};
  for (const [name, [cmd, args]] of Object.entries(sections)) {
    const got = await lines(cmd, args);
    if (got === undefined) continue;
    snap[name] = got
      .filter((l) => !l.startsWith('#')) // iptables-save's dated header and footer
      .map(
        (l) =>
          l
            .replace(/\[\d+:\d+\]/g, '') // packet counters
            .replace(/ link\/ether \S+ brd \S+/, '') // stable anyway; keeps diffs short
            .replace(/ (state|mode|qlen|group) \S+/g, ''), // carrier changes on Docker's bridge
      )
      .filter((l) => !ignore(l))
      .sort();
  }
  return snap;
}

/**
 * Returns a filter for hostSnapshot that ignores lines naming another splitbrain run (names
 * `sb-<tag>` or labels `splitbrain.run=<id>` other than those of `ownTags`).
 */
export function ignoreOtherRuns(ownTags: string[]): (line: string) => boolean {
  return (line) => {
    const tags = [...line.matchAll(/\bsb-([a-z0-9]{1,8})\b|splitbrain\.run=([a-z0-9-]+)|splitbrain:([a-z0-9-]+)/g)].map(
      (m) => m[1] ?? m[2] ?? m[3] ?? '',
    );
    return tags.length > 0 && tags.every((t) => !ownTags.includes(t));
  };
}
