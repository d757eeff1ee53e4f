/**
 * Running processes in a container through the engine's exec API: one-shot commands that are
 * waited for, and long-running ones whose output streams into a host log file. Exec'd
 * processes are children of the container runtime, not of the container's init, so a daemon
 * can be killed and started again while the container (and its network) stays.
 */
import { constants } from 'node:os';
import { PassThrough, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { execa } from 'execa';
import type { ExecResult } from '../runtime.js';

/** An exec'd process that has been started; `done` resolves with its exit code once it ends. */
export interface StartedExec {
  /** The process id on the host (the engine is local: containers share the host's kernel). */
  hostPid: number;
  done: Promise<number>;
}

interface ExecOptions {
  env?: Record<string, string>;
  cwd?: string;
  input?: string;
}

function envList(env: Record<string, string> | undefined): string[] | undefined {
  return env ? Object.entries(env).map(([k, v]) => `${k}=${v}`) : undefined;
}

async function startExec(
  docker: Docker,
  container: Docker.Container,
  command: string[],
  opts: ExecOptions,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<{ exec: Docker.Exec; stream: Duplex }> {
  const exec = await container.exec({
    Cmd: command,
    Env: envList(opts.env),
    WorkingDir: opts.cwd,
    AttachStdin: opts.input !== undefined,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = (await exec.start({ hijack: true, stdin: opts.input !== undefined })) as Duplex;
  docker.modem.demuxStream(stream, stdout, stderr);
  if (opts.input !== undefined) stream.end(opts.input);
  return { exec, stream };
}

function ended(stream: Duplex): Promise<void> {
  return new Promise((resolve) => {
    if (stream.readableEnded || stream.destroyed) return resolve();
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });
}

// The stream can end a moment before the engine records the exit code.
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('exec did not report an exit code');
}

/** Runs a command in the container to completion and returns its exit code and output. */
export async function execOnce(
  docker: Docker,
  container: Docker.Container,
  command: string[],
  opts: ExecOptions & { timeoutMs?: number } = {},
): Promise<ExecResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on('data', (b: Buffer) => out.push(b));
  const stderr = new PassThrough().on('data', (b: Buffer) => err.push(b));
  const { exec, stream } = await startExec(docker, container, command, opts, stdout, stderr);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    if (opts.timeoutMs !== undefined) timer = setTimeout(() => resolve('timeout'), opts.timeoutMs);
  });
  try {
    const first = await Promise.race([ended(stream), timedOut]);
    if (first === 'timeout') {
      const info = await exec.inspect();
      if (info.Pid > 0) killQuietly(info.Pid, 'SIGKILL');
      stream.destroy();
      throw new Error(`'${command.join(' ')}' timed out after ${opts.timeoutMs} ms`);
    }
  } finally {
    clearTimeout(timer);
  }
  return {
    exitCode: await exitCodeOf(exec),
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

/** The PATH docker exec gives a command when the image sets none. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** What a command entered into a container's namespaces from the host needs to see what docker exec would. */
export interface ContainerProcess {
  /** The host pid of the container's init. */
  hostPid: number;
  /** The container's environment (`Config.Env`), which docker exec gives its commands too. */
  env: Record<string, string>;
}

/**
 * Finds the container's init on this host, when one-shot commands can enter its namespaces from
 * here: as root (nsenter needs it) with the engine on this machine (its pid is ours to see).
 */
export async function containerProcess(container: Docker.Container): Promise<ContainerProcess | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const info = await container.inspect();
  const hostPid = info.State.Pid;
  if (!(hostPid > 0)) return undefined;
  try {
    await execa('nsenter', ['--target', String(hostPid), '--net', 'true'], { timeout: 5_000 });
  } catch {
    return undefined; // no nsenter, or the engine's processes are not this host's
  }
  const env = Object.fromEntries(
    (info.Config.Env ?? []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  return { hostPid, env };
}

/**
 * Runs a command to completion inside the container by entering its namespaces (mount, uts, ipc,
 * network, pid; its root and working folder) with nsenter. Same result as execOnce, but in a few
 * milliseconds instead of the engine's create/start/inspect round trips (0.1-0.3 s each, more on
 * a busy engine), which made the nemesis's iptables swaps and heals up to a second late.
 */
export async function execEntered(
  target: ContainerProcess,
  command: string[],
  opts: ExecOptions & { timeoutMs?: number } = {},
): Promise<ExecResult> {
  const r = await execa(
    'nsenter',
    [
      ...['--target', String(target.hostPid), '--mount', '--uts', '--ipc', '--net', '--pid', '--root'],
      opts.cwd !== undefined ? `--wd=${opts.cwd}` : '--wd',
      '--',
      ...command,
    ],
    {
      env: { PATH: DEFAULT_PATH, ...target.env, ...opts.env },
      extendEnv: false,
      input: opts.input ?? '',
      reject: false,
      stripFinalNewline: false,
      killSignal: 'SIGKILL',
      ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
    },
  );
  if (r.timedOut) throw new Error(`'${command.join(' ')}' timed out after ${opts.timeoutMs} ms`);
  const signal = r.signal === undefined ? undefined : constants.signals[r.signal];
  return {
    exitCode: r.exitCode ?? (signal !== undefined ? 128 + signal : -1),
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
  };
}

/**
 * Starts a long-running command. Its output is drained and dropped: daemons redirect their own
 * output to a file. The attached stream ends when the process exits, which is how we learn it.
 */
export async function execDaemon(
  docker: Docker,
  container: Docker.Container,
  command: string[],
  opts: ExecOptions,
): Promise<StartedExec> {
  const stdout = new PassThrough().resume();
  const stderr = new PassThrough().resume();
  const { exec, stream } = await startExec(docker, container, command, opts, stdout, stderr);
  let hostPid = 0;
  for (let i = 0; i < 500 && hostPid === 0; i++) {
    const info = await exec.inspect();
    if (info.Pid > 0) hostPid = info.Pid;
    else if (!info.Running && info.ExitCode !== null) break;
    else await new Promise((r) => setTimeout(r, 5));
  }
  const done = ended(stream).then(() => exitCodeOf(exec));
  return { hostPid, done };
}

/** Sends a signal to a host pid, ignoring a process that is already gone. */
export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
