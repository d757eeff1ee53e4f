/**
 * The shell scripts the SSH runtime runs on a host (POSIX sh plus coreutils and util-linux, which
 * the start-up check asks for).
 *
 * SPAWN starts a daemon under a supervisor of its own in a new session (setsid), so it outlives
 * the SSH channel and the runner; the supervisor waits for it and writes its exit status. The
 * channel that ran SPAWN stays open: it reports `pid N` on stderr, streams the daemon's new log
 * lines on stdout (so the host-side log grows as the daemon writes), and reports `exit N` on
 * stderr once the supervisor has recorded it.
 */

/**
 * Arguments: node folder, daemon name, spawn number, then `NAME=VALUE` environment entries, then
 * the command. The markers are exported first so the supervisor and the watchers carry them too.
 */
export const SPAWN = String.raw`
dir=$1; name=$2; seq=$3; shift 3
log="$dir/logs/$name.log"; rec="$dir/run/$name.$seq"
size=$(stat -c %s "$log" 2>/dev/null || echo 0)
setsid sh -c 'rec=$1; log=$2; shift 2
  env "$@" </dev/null >>"$log" 2>&1 &
  echo $! >"$rec.pid"
  wait $!
  echo $? >"$rec.exit.tmp" && mv "$rec.exit.tmp" "$rec.exit"' sh "$rec" "$log" "$@" </dev/null >/dev/null 2>&1 &
sup=$!
while [ ! -s "$rec.pid" ]; do
  if ! kill -0 "$sup" 2>/dev/null && [ ! -s "$rec.pid" ]; then echo "error: the supervisor exited before starting $name" >&2; exit 1; fi
  sleep 0.01
done
echo "pid $(cat "$rec.pid")" >&2
tail -c "+$((size + 1))" --pid="$sup" -s 0.05 -f "$log"
while [ ! -e "$rec.exit" ] && kill -0 "$sup" 2>/dev/null; do sleep 0.02; done
[ -e "$rec.exit" ] && echo "exit $(cat "$rec.exit")" >&2
`;

/**
 * Argument: the marker (`SPLITBRAIN_SSH_DIR=<folder>/`). SIGKILLs every process whose environment
 * holds it, twice (a supervisor may be between fork and record), printing `process <pid>` per
 * kill. One grep reads every environment; processes of other users are left alone by the kernel.
 */
export const KILL_MARKED = String.raw`
for pass in 1 2; do
  for f in $(grep -l -a -F -e "$1" /proc/[0-9]*/environ 2>/dev/null); do
    p=$(echo "$f" | cut -d/ -f3)
    [ "$p" = "$$" ] && continue
    kill -9 "$p" 2>/dev/null && echo "process $p"
  done
done
exit 0
`;

/**
 * Arguments: the base folder, then folders under it to remove. Removes each that exists
 * (printing `folder <path>`), then its parents up to and including the base when left empty.
 */
export const REMOVE_DIRS = String.raw`
base=$1; shift
for f in "$@"; do
  if [ -e "$f" ]; then rm -rf "$f" && echo "folder $f"; fi
  parent=$(dirname "$f")
  while case "$parent" in "$base" | "$base"/*) true ;; *) false ;; esac; do
    rmdir "$parent" 2>/dev/null || break
    parent=$(dirname "$parent")
  done
done
exit 0
`;

/**
 * What a host must have for the runtime itself to work; each line of output names a missing
 * tool. Each is run, not just looked up: an unusable file on PATH does not count.
 */
export const CHECK_TOOLS = String.raw`
setsid --version >/dev/null 2>&1 || echo "setsid (util-linux)"
tail --pid=$$ -n 0 /dev/null >/dev/null 2>&1 || echo "GNU tail (coreutils)"
tar --version >/dev/null 2>&1 || echo "tar"
timeout --version >/dev/null 2>&1 || echo "timeout (coreutils)"
stat -c %s / >/dev/null 2>&1 || echo "GNU stat (coreutils)"
exit 0
`;

/**
 * What the faults and the bundled DB need; prints `key value` lines: the node binary and its
 * version, whether libfaketime and iptables work here.
 */
export const PROBE_FAULT_TOOLS = String.raw`
lib=$1
if v=$(node -p process.versions.node 2>/dev/null); then echo "node $(command -v node) $v"; else echo "node - -"; fi
if [ -r "$lib" ]; then echo "faketime yes"; else echo "faketime no"; fi
if iptables -w 5 -S INPUT >/dev/null 2>&1; then echo "iptables yes"; else echo "iptables no $(iptables -w 5 -S INPUT 2>&1 | head -n 1)"; fi
exit 0
`;
