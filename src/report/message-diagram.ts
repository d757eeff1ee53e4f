/**
 * The messages between nodes around a counterexample, drawn as Maelstrom's messages.svg draws
 * a whole run: one vertical lane per node, time flowing down, an arrow from the sender's lane
 * at the send to the receiver's lane at the delivery (dashed, ending in a cross, when it was
 * never delivered), labelled with the body's type. Only the window around the counterexample's
 * ops is read and drawn, so a long run's messages.jsonl leaves the page small. The ops of the
 * counterexample are marked on the lane of the node each talked to.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describeNs, type Counterexample, type Operation } from '../../checker/index.js';
import { escapeHtml } from './escape-html.js';

/** One line of messages.jsonl (written by the maelstrom DB with `--record-messages`). */
export interface MessageRecord {
  type: 'send' | 'recv';
  /** ns since the test began, the history's clock. */
  time: number;
  /** `<sender>#<seq>`: a send and its delivery share it. */
  id: string;
  from: string;
  to: string;
  body?: { type?: string } & Record<string, unknown>;
}

/** A message in the window: sent at `sent`, delivered at `delivered` (undefined: never, or after the window). */
export interface DrawnMessage {
  id: string;
  from: string;
  to: string;
  sent: number;
  delivered?: number;
  body: unknown;
}

/** The most messages one diagram draws (those sent nearest the failed op win). */
export const MAX_DRAWN_MESSAGES = 200;

/** The time span the diagram covers: the ops' span, widened by a quarter of it (at least 5 ms) each side. */
export function windowAround(ops: readonly Operation[]): { from: number; to: number } {
  const starts = ops.map((o) => o.call);
  const ends = ops.map((o) => o.return ?? o.call);
  const from = Math.min(...starts);
  const to = Math.max(...ends);
  const pad = Math.max(5e6, (to - from) / 4);
  return { from: from - pad, to: to + pad };
}

/**
 * Reads the messages sent within `window` from a messages.jsonl, with their delivery times,
 * keeping at most `max`, those sent nearest `focus`. Streams the file: it may hold millions of lines.
 */
export async function readMessageWindow(
  file: string,
  window: { from: number; to: number },
  focus: number,
  max = MAX_DRAWN_MESSAGES,
): Promise<DrawnMessage[]> {
  if (!existsSync(file)) return [];
  const sent = new Map<string, DrawnMessage>();
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let r: MessageRecord;
    try {
      r = JSON.parse(line) as MessageRecord;
    } catch {
      continue; // a torn last line of a crashed run
    }
    if (r.type === 'send' && r.time >= window.from && r.time <= window.to) {
      sent.set(r.id, { id: r.id, from: r.from, to: r.to, sent: r.time, body: r.body });
    } else if (r.type === 'recv') {
      const m = sent.get(r.id);
      if (m) m.delivered = r.time;
    }
  }
  return [...sent.values()]
    .sort((a, b) => Math.abs(a.sent - focus) - Math.abs(b.sent - focus))
    .slice(0, max)
    .sort((a, b) => a.sent - b.sent);
}

/** Renders the diagram section (inline SVG; no script needed), or '' when there is nothing to draw. */
export function renderMessageDiagram(
  messages: readonly DrawnMessage[],
  ops: readonly Operation[],
  window: { from: number; to: number },
): string {
  if (messages.length === 0) return '';
  const nodes = [
    ...new Set([...messages.flatMap((m) => [m.from, m.to]), ...ops.flatMap((o) => (o.node ? [o.node] : []))]),
  ].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const LANE = 150;
  const TOP = 40;
  const height = Math.min(2400, Math.max(320, 80 + messages.length * 16));
  const width = 100 + nodes.length * LANE;
  const x = (node: string) => 130 + nodes.indexOf(node) * LANE;
  const span = Math.max(1, window.to - window.from);
  const y = (t: number) =>
    TOP + ((Math.min(Math.max(t, window.from), window.to) - window.from) / span) * (height - TOP - 20);
  const parts: string[] = [];
  for (const n of nodes) {
    parts.push(
      `<line class="lane" x1="${x(n)}" y1="${TOP - 10}" x2="${x(n)}" y2="${height - 10}"/>`,
      `<text class="lane-name" x="${x(n)}" y="${TOP - 18}">${escapeHtml(n)}</text>`,
    );
  }
  for (const o of ops) {
    if (!o.node || !nodes.includes(o.node)) continue;
    if ((o.return ?? Infinity) < window.from || o.call > window.to) continue; // outside the drawn span
    const y1 = y(o.call);
    const y2 = o.return === null ? height - 10 : y(o.return);
    const label = `${o.f} ${JSON.stringify(o.status === 'ok' && o.f === 'read' ? o.output : o.input)}`;
    parts.push(
      `<g class="op ${o.status}"><title>${escapeHtml(`op ${o.id} (process ${o.process}): ${label}, ${o.status}`)}</title>` +
        `<rect x="${x(o.node) - 60}" y="${y1}" width="8" height="${Math.max(2, y2 - y1)}"/>` +
        `<text x="${x(o.node) - 64}" y="${y1 + 10}">${escapeHtml(label)}</text></g>`,
    );
  }
  for (const m of messages) {
    const type = typeof (m.body as { type?: unknown })?.type === 'string' ? (m.body as { type: string }).type : '?';
    const title = escapeHtml(
      `${m.from} → ${m.to} at ${describeNs(m.sent)}${m.delivered === undefined ? ', never delivered in the window' : `, delivered after ${describeNs(m.delivered - m.sent)}`}: ${JSON.stringify(m.body)}`,
    );
    const x1 = x(m.from);
    const y1 = y(m.sent);
    if (m.delivered === undefined) {
      const x2 = x1 + (x(m.to) - x1) * 0.4;
      parts.push(
        `<g class="msg lost"><title>${title}</title><line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y1 + 6}"/>` +
          `<text class="cross" x="${x2}" y="${y1 + 10}">×</text><text x="${(x1 + x2) / 2}" y="${y1 - 2}">${escapeHtml(type)}</text></g>`,
      );
      continue;
    }
    const x2 = x(m.to);
    const y2 = y(m.delivered);
    parts.push(
      `<g class="msg"><title>${title}</title><line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#msg-arrow)"/>` +
        `<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 2}">${escapeHtml(type)}</text></g>`,
    );
  }
  const style =
    '.lane{stroke:#bbb;stroke-width:1}.lane-name{font:bold 13px sans-serif;text-anchor:middle}' +
    '.msg line{stroke:#36c;stroke-width:1}.msg text{font:10px sans-serif;fill:#36c;text-anchor:middle}' +
    '.msg.lost line{stroke:#c33;stroke-dasharray:3 2}.msg.lost text{fill:#c33}.cross{font:bold 13px sans-serif}' +
    '.op rect{fill:#6a6}.op.info rect{fill:#e90}.op text{font:10px sans-serif;text-anchor:end;fill:#333}';
  return `<section class="messages" id="messages">
<h3>Messages between nodes around the counterexample</h3>
<p class="note">${messages.length} message${messages.length === 1 ? '' : 's'} sent between ${escapeHtml(describeNs(window.from))} and ${escapeHtml(describeNs(window.to))} (from messages.jsonl; hover for bodies). Bars on the left of a lane are the counterexample's ops at that node.</p>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="message diagram">
<style>${style}</style>
<defs><marker id="msg-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#36c"/></marker></defs>
${parts.join('\n')}
</svg>
</section>`;
}

/**
 * The diagram for a counterexample from a run's messages.jsonl: the minimized ops when there
 * are any, else the failed op and those concurrent with it. '' when the file is absent or no
 * message falls in the window.
 */
export async function messageDiagramFor(
  file: string,
  cx: Counterexample,
  shown?: readonly Operation[],
): Promise<string> {
  if (!existsSync(file)) return '';
  const failed = cx.ops.find((o) => o.id === cx.failedOp);
  const ops =
    shown && shown.length > 0 ? shown : cx.ops.filter((o) => o.id === cx.failedOp || cx.concurrent.includes(o.id));
  if (ops.length === 0) return '';
  const window = windowAround(ops);
  const focus = failed?.call ?? (window.from + window.to) / 2;
  const messages = await readMessageWindow(file, window, focus);
  // Draw the span the kept messages and the failed op cover, not the whole window they came from.
  const times = [...messages.flatMap((m) => [m.sent, m.delivered ?? m.sent]), focus, failed?.return ?? focus];
  const drawn = { from: Math.max(window.from, Math.min(...times)), to: Math.min(window.to, Math.max(...times)) };
  return renderMessageDiagram(messages, ops, drawn);
}
