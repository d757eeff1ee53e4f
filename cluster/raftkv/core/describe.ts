/**
 * Stable one-line renderings of messages, entries and Ready batches (DescribeMessage,
 * DescribeEntry, DescribeReady in etcd raft's util.go). Logs and scenario tests print through
 * these, so changing a format changes test expectations.
 */
import type { Entry, HardState, Message, Ready } from './types.js';

/** Renders an entry as `term/index type data`, e.g. `2/5 normal {"k":1}` or `2/4 noop`. */
export function describeEntry(e: Entry): string {
  return e.type === 'noop' ? `${e.term}/${e.index} noop` : `${e.term}/${e.index} ${e.data}`;
}

/** Renders a hard state as `term=T vote=V commit=C`. */
export function describeHardState(hs: HardState): string {
  return `term=${hs.term} vote=${hs.vote || '-'} commit=${hs.commit}`;
}

/** Renders a message on one line: `n1->n2 MsgApp term=2 logTerm=1 index=3 commit=3 entries=[2/4 noop]`. */
export function describeMessage(m: Message): string {
  let s = `${m.from}->${m.to} ${m.type} term=${m.term}`;
  if (m.logTerm !== undefined) s += ` logTerm=${m.logTerm}`;
  if (m.index !== undefined) s += ` index=${m.index}`;
  if (m.commit !== undefined) s += ` commit=${m.commit}`;
  if (m.reject) s += ' rejected';
  if (m.rejectHint !== undefined) s += ` hint=${m.rejectHint}`;
  if (m.context !== undefined) s += ` ctx=${m.context}`;
  if (m.entries && m.entries.length > 0) s += ` entries=[${m.entries.map(describeEntry).join(', ')}]`;
  if (m.snapshot) s += ` snapshot=${m.snapshot.metadata.term}/${m.snapshot.metadata.index}`;
  return s;
}

/**
 * Renders a Ready on one line, sections separated by ` | ` (for logs); with `multiline`, one
 * section per line (for scenario files, like etcd's DescribeReady).
 */
export function describeReady(rd: Ready, opts: { multiline?: boolean } = {}): string {
  const lines: string[] = [];
  if (rd.softState) lines.push(`lead=${rd.softState.lead || '-'} role=${rd.softState.role}`);
  if (rd.hardState) lines.push(`HardState ${describeHardState(rd.hardState)}`);
  if (rd.entries.length > 0) lines.push(`Entries: ${rd.entries.map(describeEntry).join(', ')}`);
  if (rd.snapshot) lines.push(`Snapshot ${rd.snapshot.metadata.term}/${rd.snapshot.metadata.index}`);
  if (rd.committedEntries.length > 0)
    lines.push(`CommittedEntries: ${rd.committedEntries.map(describeEntry).join(', ')}`);
  for (const m of rd.messages) lines.push(`Msg ${describeMessage(m)}`);
  for (const r of rd.readStates) lines.push(`ReadState index=${r.index} ctx=${r.requestCtx}`);
  if (rd.mustSync) lines.push('mustSync');
  return lines.length === 0 ? '<empty Ready>' : lines.join(opts.multiline ? '\n' : ' | ');
}
