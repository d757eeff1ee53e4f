/**
 * ZooKeeper's `sync` for node-zookeeper-client, which has no sync of its own. A sync request is
 * a path (the same record as GetACLRequest) and its reply is that path, which the library cannot
 * decode: it drops the connection on a reply type it does not know. So the request is written
 * as SYNC and, once written, re-labelled DELETE, a reply type the library reads as "no payload"
 * (the path in the reply frame is then ignored). Every serialization writes SYNC again, so a
 * resent request is never a delete. This reaches into the library's connection manager and jute
 * module; it is pinned at 1.1.3 in package.json for that reason.
 */
import type zookeeper from 'node-zookeeper-client';
// @ts-expect-error -- the library's jute module has no type declarations
import jute from 'node-zookeeper-client/lib/jute/index.js';

interface JuteRequest {
  header: { type: number };
  toBuffer(): Buffer;
}
interface ConnectionManager {
  queue(request: JuteRequest, callback: (error: unknown) => void): void;
}
interface Jute {
  OP_CODES: { SYNC: number; DELETE: number };
  Request: new (header: unknown, payload: unknown) => JuteRequest;
  protocol: { RequestHeader: new () => { type: number }; GetACLRequest: new () => { path: string } };
}
const j = jute as Jute;

/** Resolves once the connected server has caught up with the leader as of this call (for `path`). */
export function syncPath(zk: zookeeper.Client, path: string): Promise<void> {
  const header = new j.protocol.RequestHeader();
  const payload = new j.protocol.GetACLRequest();
  payload.path = path;
  const request = new j.Request(header, payload);
  const serialize = request.toBuffer.bind(request);
  request.toBuffer = () => {
    header.type = j.OP_CODES.SYNC;
    const bytes = serialize();
    header.type = j.OP_CODES.DELETE;
    return bytes;
  };
  header.type = j.OP_CODES.SYNC;
  const manager = (zk as unknown as { connectionManager: ConnectionManager }).connectionManager;
  return new Promise((resolve, reject) => manager.queue(request, (error) => (error ? reject(error) : resolve())));
}
