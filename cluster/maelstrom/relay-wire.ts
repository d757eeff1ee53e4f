/**
 * The relay's own wire, beside Maelstrom's: what splitbrain and the relays say to each other
 * over TCP. Every connection to a relay opens with one hello line naming what it carries:
 *
 * - `peer`: another node's relay. Each further line is `<seq>\t<message>`: a message that node's
 *   binary printed for this node, numbered by the sending relay (for `--record-messages`).
 * - `client`: splitbrain's clients. Each line is a Maelstrom message from a client id (`c1`...);
 *   replies to that id go back on the connection it last wrote from.
 * - `control`: the DB. Each line is a ControlRequest, answered by a ControlReply with its id;
 *   the relay also pushes RelayEvents (recorded messages, problems with the binary).
 */

/** The port a relay listens on (spread per node when nodes share an address). */
export const RELAY_PORT = 9000;

/** The first line on every connection to a relay. */
export type Hello = { hello: 'peer'; node: string } | { hello: 'client' } | { hello: 'control'; record?: boolean };

/** What the DB asks a relay to do with its binary. */
export type ControlOp = 'start' | 'kill' | 'pause' | 'resume' | 'shutdown';

/** A request on the control connection. */
export interface ControlRequest {
  id: number;
  op: ControlOp;
}

/** The answer to a ControlRequest: `pid` of the binary after start/kill/pause/resume, or why it failed. */
export interface ControlReply {
  id: number;
  ok: boolean;
  pid?: number;
  /** One line saying what went wrong. */
  error?: string;
  /** The binary's last stderr lines, when it failed to start. */
  stderr?: string[];
}

/**
 * What a relay reports unasked. `send`/`recv` are inter-node messages (only when the control
 * hello asked to record): `time` is the relay's wall clock in ms (fractional), `id` is
 * `<sender>#<seq>`. `exit` says the binary ended without being killed; `problem` is anything
 * else the run must fail for (a line on stdout that is not a message); `notice` is for the log.
 */
export type RelayEvent =
  | { event: 'send'; time: number; id: string; from: string; to: string; body: unknown }
  | { event: 'recv'; time: number; id: string; from: string; to: string }
  | { event: 'exit'; pid: number; code: number; stderr: string[] }
  | { event: 'problem'; text: string; stderr: string[] }
  | { event: 'notice'; text: string };

/** Everything the relay needs to know, passed as its one JSON argument. */
export interface RelayConfig {
  /** This node's id and every node's, in init order. */
  node: string;
  nodeIds: string[];
  /** Where to listen (the node's address) and each other node's relay. */
  listen: { host: string; port: number };
  peers: Record<string, { host: string; port: number }>;
  /** The user's binary and its arguments. */
  bin: string;
  binArgs: string[];
  /** The binary's working directory: the only state that survives a kill. */
  workDir: string;
  /** How long the binary has to answer init. */
  initTimeoutMs: number;
}
