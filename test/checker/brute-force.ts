/**
 * An independent, deliberately naive linearizability checker for tiny histories, to test the real
 * one against. It shares no code with checker/: its own op records, its own models (over the
 * whole state, never split by key), and plain enumeration: every subset of crashed ops that took
 * effect, every order of the chosen ops that respects real time, replayed from the start.
 */

/** One op as the generator records it. `ret` null = crashed. */
export interface TinyOp {
  process: number;
  f: string;
  key?: string;
  input: unknown;
  output: unknown;
  call: number;
  ret: number | null;
}

/** A state machine over plain JSON states. */
type Apply = (state: string, op: TinyOp, crashed: boolean) => string | undefined;

const eq = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

// States are JSON text so that equal states compare equal without any helper.
const registerApply: Apply = (state, op, crashed) => {
  const v = JSON.parse(state) as unknown;
  if (op.f === 'read') return crashed || eq(v, op.output) ? state : undefined;
  if (op.f === 'write') return JSON.stringify(op.input);
  if (op.f === 'cas') {
    const [a, b] = op.input as [unknown, unknown];
    if (eq(v, a)) return JSON.stringify(b);
    return crashed ? state : undefined;
  }
  return undefined;
};

const kvApply: Apply = (state, op, crashed) => {
  const m = JSON.parse(state) as Record<string, unknown>;
  const inner = registerApply(JSON.stringify(m[op.key!] ?? null), op, crashed);
  if (inner === undefined) return undefined;
  return JSON.stringify({ ...m, [op.key!]: JSON.parse(inner) as unknown });
};

const kvAppendApply: Apply = (state, op, crashed) => {
  const m = JSON.parse(state) as Record<string, string>;
  const cur = m[op.key!] ?? '';
  if (op.f === 'get') return crashed || op.output === cur ? state : undefined;
  if (op.f === 'put') return JSON.stringify({ ...m, [op.key!]: op.input as string });
  if (op.f === 'append') return JSON.stringify({ ...m, [op.key!]: cur + (op.input as string) });
  return undefined;
};

const mutexApply: Apply = (state, op) => {
  if (op.f === 'acquire') return state === 'false' ? 'true' : undefined;
  if (op.f === 'release') return state === 'true' ? 'false' : undefined;
  return undefined;
};

const MODELS: Record<string, { init: string; apply: Apply }> = {
  register: { init: 'null', apply: registerApply },
  'cas-register': { init: 'null', apply: registerApply },
  kv: { init: '{}', apply: kvApply },
  'kv-append': { init: '{}', apply: kvAppendApply },
  mutex: { init: 'false', apply: mutexApply },
};

/** True when some choice of crashed ops and some real-time-respecting order of them is legal. */
export function bruteForceLinearizable(model: string, ops: readonly TinyOp[]): boolean {
  const { init, apply } = MODELS[model]!;
  const crashed = ops.filter((o) => o.ret === null);
  const completed = ops.filter((o) => o.ret !== null);
  for (let mask = 0; mask < 1 << crashed.length; mask++) {
    const chosen = [...completed, ...crashed.filter((_, j) => (mask & (1 << j)) !== 0)];
    if (someOrder(chosen, init, apply)) return true;
  }
  return false;
}

/** Tries every order of `ops` in which a before b whenever a returned before b was invoked. */
function someOrder(ops: TinyOp[], init: string, apply: Apply): boolean {
  const used = new Array<boolean>(ops.length).fill(false);
  const go = (state: string, placed: number): boolean => {
    if (placed === ops.length) return true;
    for (let i = 0; i < ops.length; i++) {
      if (used[i]) continue;
      const op = ops[i]!;
      // op may go next only if no unplaced op finished before op began.
      const blocked = ops.some((o, j) => !used[j] && j !== i && o.ret !== null && o.ret < op.call);
      if (blocked) continue;
      const next = apply(state, op, op.ret === null);
      if (next === undefined) continue;
      used[i] = true;
      if (go(next, placed + 1)) return true;
      used[i] = false;
    }
    return false;
  };
  return go(init, 0);
}
