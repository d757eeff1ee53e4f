/**
 * What a person sees while a run goes: on a terminal, a cli-progress bar with elapsed time, ops/s,
 * ok/fail/info counts and the fault now in force; elsewhere (CI), one plain line every few seconds.
 */
import cliProgress from 'cli-progress';
import type { RecorderCounts } from './recorder.js';

/** The numbers the view shows; read on every refresh. */
export interface LiveSource {
  counts: RecorderCounts;
  /** Seconds since the run phase began. */
  elapsedS(): number;
  /** The fault(s) in force, e.g. "partition", or "" when none. */
  fault(): string;
}

/** A started view; `stop` removes the bar (or prints the last line). */
export interface LiveView {
  stop(): void;
}

/** Starts the view for a run of `totalS` seconds, writing to `stream`. */
export function startLiveView(
  source: LiveSource,
  totalS: number,
  stream: NodeJS.WriteStream = process.stderr,
): LiveView {
  let lastOk = 0;
  let lastAt = 0;
  let rate = 0;
  const sample = () => {
    const now = source.elapsedS();
    const done = source.counts.ok + source.counts.fail + source.counts.info;
    if (now - lastAt >= 1) {
      rate = (done - lastOk) / (now - lastAt);
      lastOk = done;
      lastAt = now;
    }
    return { now, rate };
  };
  const fields = () => {
    const { now, rate } = sample();
    return {
      elapsed: now.toFixed(0),
      rate: rate.toFixed(0),
      ok: source.counts.ok,
      fail: source.counts.fail,
      info: source.counts.info,
      fault: source.fault() || 'none',
    };
  };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: ' {bar} {elapsed}/{total}s | {rate} ops/s | ok {ok} fail {fail} info {info} | fault: {fault}',
        stream,
        hideCursor: true,
        clearOnComplete: true,
        barsize: 24,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(totalS, 0, fields());
    const timer = setInterval(() => {
      const f = fields();
      bar.update(Math.min(totalS, Number(f.elapsed)), f);
    }, 250);
    return {
      stop() {
        clearInterval(timer);
        bar.stop();
      },
    };
  }
  const line = () => {
    const f = fields();
    stream.write(
      `[${f.elapsed}/${totalS}s] ${f.rate} ops/s  ok ${f.ok}  fail ${f.fail}  info ${f.info}  fault: ${f.fault}\n`,
    );
  };
  const timer = setInterval(line, 5000);
  return {
    stop() {
      clearInterval(timer);
      line();
    },
  };
}
