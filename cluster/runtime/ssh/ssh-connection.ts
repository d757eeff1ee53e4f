/**
 * One SSH connection to one host (ssh2), kept for the whole run: every command, file copy and
 * daemon of the node on that host goes over it as its own channel. A failure to connect is
 * turned into one line naming the host and the cause (refused, timed out, host key, login).
 */
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { Client, type ClientChannel } from 'ssh2';
import type { ExecResult } from '../runtime.js';
import type { SshHost } from './hosts-file.js';
import { verifyHostKey } from './known-hosts.js';
import type { SshAuth } from './ssh-auth.js';

/** How to reach a host. */
export interface SshConnectOptions {
  host: SshHost;
  /** User when the hosts file names none. */
  defaultUser: string;
  auth: SshAuth;
  knownHostsFile: string;
  strictHostKeys: boolean;
  /** How long the TCP connect and SSH handshake may take. */
  timeoutMs: number;
}

/** What a command run over the connection is given and where its output goes. */
export interface RunOptions {
  input?: string | Buffer;
  /** Stream stdout here instead of collecting it (the result's stdout is then empty). */
  stdout?: Writable;
  /** Gives up (closing the channel) after this long; the error says it timed out. */
  timeoutMs?: number;
}

/**
 * OpenSSH's sshd allows 10 sessions per connection (MaxSessions); short commands share 8 of
 * them, leaving room for the long-lived channels that watch daemons.
 */
const COMMAND_CHANNELS = 8;

/** A connected host. */
export class SshConnection {
  private free = COMMAND_CHANNELS;
  private readonly waiting: (() => void)[] = [];
  private closed = false;
  /** Why the connection ended, when it ended with an error. */
  private lastError: string | undefined;

  private constructor(
    private readonly client: Client,
    /** The host as written in the hosts file. */
    readonly label: string,
    /** The user logged in as. */
    readonly user: string,
  ) {
    client.on('close', () => (this.closed = true));
    // An error after the handshake ends the connection; commands then fail saying why.
    client.on('error', (err: Error) => {
      this.lastError ??= err.message.split('\n')[0];
      this.closed = true;
    });
  }

  /** Connects and authenticates; throws `host <label>: <cause>` on one line. */
  static open(opts: SshConnectOptions): Promise<SshConnection> {
    const { host } = opts;
    const user = host.user ?? opts.defaultUser;
    const client = new Client();
    let hostKeyProblem: string | undefined;
    return new Promise((resolve, reject) => {
      const fail = (cause: string) => {
        client.end();
        reject(new Error(`host ${host.label}: ${cause}`));
      };
      const onError = (err: Error & { code?: string; level?: string }) => {
        if (hostKeyProblem !== undefined) return fail(hostKeyProblem);
        fail(describeConnectError(err, opts, user));
      };
      client.once('error', onError);
      client.once('ready', () => {
        // From here on an error belongs to the open connection, not to connecting.
        client.off('error', onError);
        resolve(new SshConnection(client, host.label, user));
      });
      client.connect({
        host: host.host,
        port: host.port,
        username: user,
        ...(opts.auth.privateKey ? { privateKey: opts.auth.privateKey } : {}),
        ...(opts.auth.agent ? { agent: opts.auth.agent } : {}),
        readyTimeout: opts.timeoutMs,
        keepaliveInterval: 5_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
          verifyHostKey(opts.knownHostsFile, host.host, host.port, key, opts.strictHostKeys).then(
            () => verify(true),
            (e: unknown) => {
              hostKeyProblem = e instanceof Error ? e.message : String(e);
              verify(false);
            },
          );
        },
      });
    });
  }

  /** Runs one command line to completion. */
  async run(command: string, opts: RunOptions = {}): Promise<ExecResult> {
    await this.acquire();
    try {
      return await this.runChannel(command, opts);
    } finally {
      this.release();
    }
  }

  /**
   * Opens a channel for a long-running command outside the short-command budget; `onStdout` and
   * `onStderr` get its output as it comes; the promise resolves with the exit code when it ends
   * (undefined when the channel closed without one, say because the connection went away).
   */
  async stream(
    command: string,
    onStdout: (b: Buffer) => void,
    onStderr: (b: Buffer) => void,
  ): Promise<{ done: Promise<number | undefined> }> {
    const { channel, done } = await this.open(command);
    channel.on('data', onStdout);
    channel.stderr.on('data', onStderr);
    channel.stdin.end();
    return { done };
  }

  /** Closes the connection (channels still open are closed with it). */
  close(): void {
    this.closed = true;
    this.client.end();
  }

  private async runChannel(command: string, opts: RunOptions): Promise<ExecResult> {
    const { channel, done } = await this.open(command);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    if (opts.stdout) channel.pipe(opts.stdout);
    else channel.on('data', (b: Buffer) => out.push(b));
    channel.stderr.on('data', (b: Buffer) => err.push(b));
    channel.stdin.end(opts.input);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      if (opts.timeoutMs !== undefined) timer = setTimeout(() => resolve('timeout'), opts.timeoutMs);
    });
    try {
      const code = await Promise.race([done, timedOut]);
      if (code === 'timeout') {
        channel.close();
        throw new Error(`'${command.slice(0, 200)}' on ${this.label} timed out after ${opts.timeoutMs} ms`);
      }
      if (code === undefined)
        throw new Error(
          `the connection to ${this.label} closed${this.lastError ? ` (${this.lastError})` : ''} while running '${command.slice(0, 200)}'`,
        );
      return {
        exitCode: code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Opens a channel running `command`. Its end is watched from inside the open callback: a quick
   * command's exit and close can come in the same read as the open confirmation, before any
   * code awaiting this promise runs, and those events would otherwise be missed.
   */
  private open(command: string): Promise<{ channel: ClientChannel; done: Promise<number | undefined> }> {
    if (this.closed) return Promise.reject(new Error(`the connection to ${this.label} is closed`));
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, channel) => {
        if (err) reject(new Error(`cannot open a channel to ${this.label}: ${err.message}`));
        else resolve({ channel, done: closeCode(channel) });
      });
    });
  }

  private async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/** Resolves with a channel's exit code (128 + signal number when killed), or undefined without one. */
function closeCode(channel: ClientChannel): Promise<number | undefined> {
  const fromStatus = (c: number | null | undefined, signal?: string): number | undefined => {
    if (typeof c === 'number') return c;
    return signal ? 128 + (constants.signals[`SIG${signal}` as NodeJS.Signals] ?? 0) : undefined;
  };
  return new Promise((resolve) => {
    let code: number | undefined;
    channel.on('exit', (c: number | null, signal?: string) => (code = fromStatus(c, signal)));
    // ssh2 repeats the exit status on close (after the output has been read).
    channel.on('close', (c?: number | null, signal?: string) => resolve(code ?? fromStatus(c, signal)));
  });
}

function describeConnectError(
  err: Error & { code?: string; level?: string },
  opts: SshConnectOptions,
  user: string,
): string {
  if (err.code === 'ECONNREFUSED') return `connection refused (is sshd running on port ${opts.host.port}?)`;
  if (err.code === 'ETIMEDOUT' || /timed out/i.test(err.message))
    return `timed out after ${Math.round(opts.timeoutMs / 1000)} s connecting to port ${opts.host.port}`;
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return `cannot resolve host name ${opts.host.host}`;
  if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') return 'no route to host';
  if (err.level === 'client-authentication') return `login as ${user} with ${opts.auth.describe} was refused`;
  return err.message.split('\n')[0]!;
}
