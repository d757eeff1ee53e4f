import type { Counterexample, Operation } from '../../checker/index.js';
import { describeOp, describeTime as describeNs, describeValue } from './describe-op.js';

/**
 * Writes the one-paragraph, plain-language explanation of why the failed op cannot be
 * linearized, from the counterexample alone. Used when the checker left `explanation` empty,
 * and after minimization, when the checker's sentence may name ops that were dropped.
 * It states only facts read off the history and the checker's prefix; the checker's verdict
 * is what proves the violation. `describeTime` formats history times (real clock times by default).
 */
export function explainCounterexample(cx: Counterexample, describeTime: (ns: number) => string = describeNs): string {
  const byId = new Map(cx.ops.map((op) => [op.id, op]));
  const failed = byId.get(cx.failedOp);
  if (!failed) return `Operation ${cx.failedOp} cannot be linearized.`;
  const keyText = cx.key === undefined ? '' : ` on key ${describeValue(cx.key)}`;
  const when =
    failed.return === null
      ? `invoked at ${describeTime(failed.call)} and never confirmed`
      : `between ${describeTime(failed.call)} and ${describeTime(failed.return)}`;
  const parts = [
    `Process ${failed.process}'s ${describeOp(failed)}${keyText} (op ${failed.id}, ${when}) cannot be linearized.`,
  ];

  const last = cx.prefix.at(-1);
  if (last) {
    const lastOp = byId.get(last.op);
    parts.push(
      `The longest order that explains the history orders ${cx.prefix.length} op${cx.prefix.length === 1 ? '' : 's'}` +
        (lastOp ? `, ending with op ${lastOp.id} (${describeOp(lastOp)})` : '') +
        `, and leaves the state at ${last.stateAfter}.`,
    );
  } else {
    parts.push('It is impossible already from the initial state, with nothing ordered before it.');
  }

  if ((failed.f === 'read' || failed.f === 'get') && failed.status === 'ok') {
    parts.push(readFacts(cx.ops, failed, describeTime));
  }
  const concurrent = cx.concurrent.map((id) => byId.get(id)).filter((op): op is Operation => op !== undefined);
  parts.push(
    concurrent.length === 0
      ? 'No other operation overlaps it in time, so nothing can be reordered around it.'
      : `None of the ${concurrent.length} operation${concurrent.length === 1 ? '' : 's'} overlapping it ` +
          `(${concurrent
            .slice(0, 6)
            .map((op) => `op ${op.id} ${describeOp(op)}`)
            .join(', ')}${concurrent.length > 6 ? ', …' : ''}) ` +
          `can be placed before or after it in a way that makes its result legal.`,
  );
  return parts.join(' ');
}

/** Facts about a read: which write last completed before it began, and who wrote what it saw. */
function readFacts(ops: readonly Operation[], read: Operation, describeTime: (ns: number) => string): string {
  const seen = read.output;
  const writesOf = (op: Operation): unknown =>
    op.f === 'write' || op.f === 'put' ? op.input : op.f === 'cas' && Array.isArray(op.input) ? op.input[1] : undefined;
  const before = ops
    .filter((op) => op.status === 'ok' && op.return !== null && op.return < read.call && writesOf(op) !== undefined)
    .sort((a, b) => (a.return ?? 0) - (b.return ?? 0))
    .at(-1);
  const sameValue = ops.filter((op) => op.id !== read.id && JSON.stringify(writesOf(op)) === JSON.stringify(seen));
  const facts: string[] = [];
  if (before) {
    facts.push(
      `It read ${describeValue(seen)}; the last write that completed before it began (op ${before.id}, at ` +
        `${describeTime(before.return ?? 0)}) wrote ${describeValue(writesOf(before))}`,
    );
  } else {
    facts.push(`It read ${describeValue(seen)}; no write had completed before it began`);
  }
  if (seen === null || seen === undefined) {
    facts.push('and nothing can make the value absent again once written.');
  } else if (sameValue.length === 0) {
    facts.push(`and no operation ever wrote ${describeValue(seen)}.`);
  } else {
    const names = sameValue
      .slice(0, 4)
      .map((op) => `op ${op.id}`)
      .join(', ');
    const plural = sameValue.length === 1 ? '' : 's';
    const allEarlier = before && sameValue.every((op) => op.return !== null && op.return < before.call);
    facts.push(
      allEarlier
        ? `and the write${plural} of ${describeValue(seen)} (${names}) completed before op ${before.id} began, ` +
            `so none can take effect between op ${before.id} and the read.`
        : before
          ? `and no order of the write${plural} of ${describeValue(seen)} (${names}) lets one take effect ` +
            `between op ${before.id} and the read.`
          : `and no order of the write${plural} of ${describeValue(seen)} (${names}) lets one take effect before the read.`,
    );
  }
  return facts.join(', ');
}
