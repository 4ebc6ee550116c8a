/**
 * The trainer's matrix kernels as WebAssembly SIMD (f64x2), assembled from TypeScript. Each kernel
 * performs exactly the floating-point operations of its JavaScript twin in compute/kernels.ts, in
 * the same order, two independent lanes at a time, so both give bitwise the same numbers:
 * - a net input's even and odd partial sums, and those of a weight row's Σ w² (the decay), are the
 *   two lanes of one f64x2 accumulator, added at the end (an odd last term joins the even sum
 *   first), as `dot` does;
 * - every other kernel is element-wise across i (a delta sum over j, a gradient sum over samples,
 *   an update), so lane k does for element i + k what the scalar loop does for it.
 * No multiply-add is fused (there is no f64x2 FMA in WebAssembly SIMD), like JavaScript.
 *
 * Addresses are byte offsets into the imported memory; sizes are element counts. Loops are tiled
 * over R rows × S samples so that every loaded vector is used R or S times from registers.
 */
import { assembleModule, choose, F64, FunctionBuilder, I32, op, sum, V128, when, whileLoop, type Code, type ExportedFunction, type ValType } from './asm';

/** The instruction set of one tile body: two lanes (the vector loop) or one (an odd last element). */
interface Lanes {
  width: number;
  type: typeof V128 | typeof F64;
  load: Code;
  store: Code;
  add: Code;
  sub: Code;
  mul: Code;
  div: Code;
  sqrt: Code;
}
const TWO: Lanes = { width: 16, type: V128, load: op.v128Load, store: op.v128Store, add: op.f64x2Add, sub: op.f64x2Sub, mul: op.f64x2Mul, div: op.f64x2Div, sqrt: op.f64x2Sqrt };
const ONE: Lanes = { width: 8, type: F64, load: op.f64Load, store: op.f64Store, add: op.f64Add, sub: op.f64Sub, mul: op.f64Mul, div: op.f64Div, sqrt: op.f64Sqrt };

const { get, set, i32 } = op;
const range = (n: number) => Array.from({ length: n }, (_, k) => k);
/** base + index · 8, for an element index made of i32 terms. */
const at = (base: Code, ...index: Code[]): Code => [...base, ...sum(...index), ...i32(3), ...op.shl, ...op.add];
/** base + (k + row) · rowBytes */
const rowAt = (base: number, k: number, row: number, rowBytes: number): Code =>
  [...get(base), ...get(k), ...i32(row), ...op.add, ...get(rowBytes), ...op.mul, ...op.add];
const step = (v: number, by: number): Code => [...get(v), ...i32(by), ...op.add, ...set(v)];
const fits = (v: number, by: number, limit: number): Code => [...get(v), ...i32(by), ...op.add, ...get(limit), ...op.leU];
const below = (v: number, limit: number): Code => [...get(v), ...get(limit), ...op.ltU];
const loadAt = (l: Lanes, ptr: number, i: number): Code => [...get(ptr), ...get(i), ...op.add, ...l.load];
/** acc = acc + a · b */
const madd = (l: Lanes, acc: number, a: number, b: number): Code => [...get(acc), ...get(a), ...get(b), ...l.mul, ...l.add, ...set(acc)];

/** Locals shared by every kernel: the loop counters, a row's length in bytes and its even part. */
function counters(f: FunctionBuilder, rowLength: number) {
  const c = { j: f.local(I32), s: f.local(I32), i: f.local(I32), rowBytes: f.local(I32), evenBytes: f.local(I32) };
  const init = [
    ...get(rowLength), ...i32(3), ...op.shl, ...set(c.rowBytes),
    ...get(rowLength), ...i32(-2), ...op.and, ...i32(3), ...op.shl, ...set(c.evenBytes),
  ];
  return { ...c, init };
}

/**
 * `for (v = 0; v + by ≤ limit; v += by) body(by)`, then the rest one at a time with body(1): the
 * loop around a tile of `by` rows or samples and its narrower tail.
 */
function tiles(loop: { v: number; by: number; limit: number }, body: (width: number) => Code): Code {
  const { v, by, limit } = loop;
  return [
    ...i32(0), ...set(v),
    ...whileLoop(fits(v, by, limit), [...body(by), ...step(v, by)]),
    ...whileLoop(below(v, limit), [...body(1), ...step(v, 1)]),
  ];
}

/** `for (i = 0; i < evenBytes; i += 16) vector; if (n odd) scalar` with i left at evenBytes. */
function sweep(c: { i: number; evenBytes: number }, n: number, vector: Code, scalar: Code): Code {
  return [
    ...i32(0), ...set(c.i),
    ...whileLoop(below(c.i, c.evenBytes), [...vector, ...step(c.i, 16)]),
    ...when([...get(n), ...i32(1), ...op.and], scalar),
  ];
}

/** Scalars of a tile read once from memory, and their splats for the vector loop. */
function scalars(f: FunctionBuilder, count: number, address: (k: number) => Code) {
  const one = range(count).map(() => f.local(F64));
  const two = range(count).map(() => f.local(V128));
  const load = range(count).flatMap((k) => [...address(k), ...op.f64Load, ...set(one[k]), ...get(one[k]), ...op.splat, ...set(two[k])]);
  return { load, of: (l: Lanes) => (l === TWO ? two : one) };
}

/** forward(w, b, x, z, nIn, nOut, count): z[s·nOut + j] = Σ_i w[j·nIn + i]·x[s·nIn + i] + b[j]. */
function forward(): ExportedFunction {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32]);
  const [W, B, X, Z, NIN, NOUT, COUNT] = range(7);
  const c = counters(f, NIN);
  const tile = (R: number, S: number): Code => {
    const wp = range(R).map(() => f.local(I32));
    const xp = range(S).map(() => f.local(I32));
    const acc = range(R * S).map(() => f.local(V128));
    const xv = range(S).map(() => f.local(V128));
    const wv = f.local(V128);
    const e = f.local(F64);
    const vector = [
      ...range(S).flatMap((s) => [...loadAt(TWO, xp[s], c.i), ...set(xv[s])]),
      ...range(R).flatMap((r) => [...loadAt(TWO, wp[r], c.i), ...set(wv), ...range(S).flatMap((s) => madd(TWO, acc[r * S + s], wv, xv[s]))]),
    ];
    const finish = range(R * S).flatMap((k) => {
      const r = Math.floor(k / S), s = k % S;
      const odd = [...get(e), ...get(wp[r]), ...get(c.evenBytes), ...op.add, ...op.f64Load, ...get(xp[s]), ...get(c.evenBytes), ...op.add, ...op.f64Load, ...op.f64Mul, ...op.f64Add, ...set(e)];
      return [
        ...get(acc[k]), ...op.lane(0), ...set(e),
        ...when([...get(NIN), ...i32(1), ...op.and], odd),
        ...at(get(Z), [...get(c.s), ...i32(s), ...op.add, ...get(NOUT), ...op.mul], get(c.j), i32(r)),
        ...get(e), ...get(acc[k]), ...op.lane(1), ...op.f64Add,
        ...at(get(B), get(c.j), i32(r)), ...op.f64Load, ...op.f64Add, ...op.f64Store,
      ];
    });
    return [
      ...range(R).flatMap((r) => [...rowAt(W, c.j, r, c.rowBytes), ...set(wp[r])]),
      ...range(S).flatMap((s) => [...rowAt(X, c.s, s, c.rowBytes), ...set(xp[s])]),
      ...acc.flatMap((a) => [...op.v128Zero, ...set(a)]),
      ...i32(0), ...set(c.i),
      ...whileLoop(below(c.i, c.evenBytes), [...vector, ...step(c.i, 16)]),
      ...finish,
    ];
  };
  const body = [...c.init, ...tiles({ v: c.j, by: 4, limit: NOUT }, (R) => tiles({ v: c.s, by: 2, limit: COUNT }, (S) => tile(R, S)))];
  return { name: 'forward', builder: f, body };
}

/**
 * The tile the delta and gradient kernels are made of: acc_m[i] += Σ_k coef(m, k)·shared_k[i], k in
 * order, for every accumulator row m and every i < n; each shared vector is loaded once per i for
 * all the rows. `shared` and `accs` compute row addresses, `coef` the address of a coefficient.
 */
function sumTile(f: FunctionBuilder, c: { i: number; evenBytes: number }, n: number, shared: Code[], accs: Code[], coef: (m: number, k: number) => Code): Code {
  const K = shared.length, M = accs.length;
  const d = scalars(f, M * K, (q) => coef(Math.floor(q / K), q % K));
  const sp = shared.map(() => f.local(I32));
  const ap = accs.map(() => f.local(I32));
  const body = (l: Lanes) => {
    const sv = range(K).map(() => f.local(l.type));
    const u = f.local(l.type);
    const dv = d.of(l);
    return [
      ...range(K).flatMap((k) => [...loadAt(l, sp[k], c.i), ...set(sv[k])]),
      ...range(M).flatMap((m) => [
        ...get(ap[m]), ...get(c.i), ...op.add,
        ...loadAt(l, ap[m], c.i), ...set(u),
        ...range(K).flatMap((k) => madd(l, u, dv[m * K + k], sv[k])),
        ...get(u), ...l.store,
      ]),
    ];
  };
  return [
    ...d.load,
    ...shared.flatMap((p, k) => [...p, ...set(sp[k])]),
    ...accs.flatMap((p, m) => [...p, ...set(ap[m])]),
    ...sweep(c, n, body(TWO), body(ONE)),
  ];
}

/** backward(dn, w, d, n, nNext, count): d[s·n + i] += Σ_j dn[s·nNext + j]·w[j·n + i], j in order. */
function backward(): ExportedFunction {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32]);
  const [DN, W, D, N, NNEXT, COUNT] = range(6);
  const c = counters(f, N);
  // R weight rows shared by S samples' delta rows.
  const tile = (R: number, S: number): Code => sumTile(f, c, N,
    range(R).map((r) => rowAt(W, c.j, r, c.rowBytes)),
    range(S).map((s) => rowAt(D, c.s, s, c.rowBytes)),
    (s, r) => at(get(DN), [...get(c.s), ...i32(s), ...op.add, ...get(NNEXT), ...op.mul], get(c.j), i32(r)));
  const body = [...c.init, ...tiles({ v: c.s, by: 2, limit: COUNT }, (S) => tiles({ v: c.j, by: 4, limit: NNEXT }, (R) => tile(R, S)))];
  return { name: 'backward', builder: f, body };
}

/** accumulate(g, x, d, nIn, n, count): g[j·nIn + i] += Σ_s d[s·n + j]·x[s·nIn + i], s in order. */
function accumulate(): ExportedFunction {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32]);
  const [G, X, D, NIN, N, COUNT] = range(6);
  const c = counters(f, NIN);
  // S samples' input rows shared by R gradient rows.
  const tile = (R: number, S: number): Code => sumTile(f, c, NIN,
    range(S).map((s) => rowAt(X, c.s, s, c.rowBytes)),
    range(R).map((r) => rowAt(G, c.j, r, c.rowBytes)),
    (r, s) => at(get(D), [...get(c.s), ...i32(s), ...op.add, ...get(N), ...op.mul], get(c.j), i32(r)));
  const body = [...c.init, ...tiles({ v: c.j, by: 2, limit: N }, (R) => tiles({ v: c.s, by: 4, limit: COUNT }, (S) => tile(R, S)))];
  return { name: 'accumulate', builder: f, body };
}

/** What a fused step with an optimizer does to each weight: gradient descent with decay, momentum or Adam with or without it. */
export type StepRule = 'decay' | 'momentum' | 'momentum-decay' | 'adam' | 'adam-decay';

/** The locals one element of a fused step works with: its lanes, the weight's old value, the row's delta, the input, the row. */
interface StepElement { l: Lanes; wv: number; dv: number; xv: number; row: number }

/**
 * Σ w² over R weight rows of a tile, each row as compute/kernels.ts's `dot(row, row)` sums it: the
 * even and odd lanes of one accumulator, the odd last weight joining the even sum, then the odd sum
 * (compute/decay.ts `layerSquares`). `add` takes one element's weight; `finish` adds the rows'
 * sums, in order, to the double at address `acc`.
 */
function rowSquares(f: FunctionBuilder, R: number) {
  const sq = range(R).map(() => f.local(V128));
  const last = range(R).map(() => f.local(F64));
  const total = f.local(F64);
  return {
    init: range(R).flatMap((r) => [...op.v128Zero, ...set(sq[r]), ...op.v128Zero, ...op.lane(0), ...set(last[r])]),
    add: (l: Lanes, r: number, wv: number): Code => (l === TWO ? madd(TWO, sq[r], wv, wv) : [...get(wv), ...get(wv), ...op.f64Mul, ...set(last[r])]),
    finish: (acc: number): Code => [
      ...get(acc), ...op.f64Load, ...set(total),
      ...range(R).flatMap((r) => [
        ...get(total), ...get(sq[r]), ...op.lane(0), ...get(last[r]), ...op.f64Add, ...get(sq[r]), ...op.lane(1), ...op.f64Add, ...op.f64Add, ...set(total),
      ]),
      ...get(acc), ...get(total), ...op.f64Store,
    ],
  };
}

/**
 * The tiles of a fused step over a layer (`rows` rows, each element of a row once): dp[i] += Σ_j
 * d[j]·w with the old weights when `propagate`, then `update` leaves the new weight on the stack.
 * With `squares` (a parameter holding an address), the old weights' Σ w² is added to the double
 * there. Rules with more to do per weight take two rows (four would not fit x64's 16 registers).
 */
function stepTiles(f: FunctionBuilder, params: { W: number; X: number; D: number; DP: number; NIN: number; N: number; squares?: number }, propagate: boolean, update: (e: StepElement, i: number) => Code, rows = 4): Code {
  const { W, X, D, DP, NIN, N, squares } = params;
  const c = counters(f, NIN);
  const tile = (R: number): Code => {
    const d = scalars(f, R, (r) => at(get(D), get(c.j), i32(r)));
    const wp = range(R).map(() => f.local(I32));
    const sq = squares === undefined ? undefined : rowSquares(f, R);
    const body = (l: Lanes) => {
      const [xv, u, wv] = [f.local(l.type), f.local(l.type), f.local(l.type)];
      const dv = d.of(l);
      const row = (r: number) => [
        ...loadAt(l, wp[r], c.i), ...set(wv),
        ...(sq ? sq.add(l, r, wv) : []),
        ...(propagate ? madd(l, u, dv[r], wv) : []),
        ...get(wp[r]), ...get(c.i), ...op.add, ...update({ l, wv, dv: dv[r], xv, row: wp[r] }, c.i), ...l.store,
      ];
      return [
        ...loadAt(l, X, c.i), ...set(xv),
        ...(propagate ? [...loadAt(l, DP, c.i), ...set(u)] : []),
        ...range(R).flatMap(row),
        ...(propagate ? [...get(DP), ...get(c.i), ...op.add, ...get(u), ...l.store] : []),
      ];
    };
    return [
      ...d.load,
      ...(sq ? sq.init : []),
      ...range(R).flatMap((r) => [...rowAt(W, c.j, r, c.rowBytes), ...set(wp[r])]),
      ...sweep(c, NIN, body(TWO), body(ONE)),
      ...(sq && squares !== undefined ? sq.finish(squares) : []),
    ];
  };
  return [...c.init, ...tiles({ v: c.j, by: rows, limit: N }, tile)];
}

/** F64 settings splatted once, and the local to read for each kind of lanes. */
function settings(f: FunctionBuilder, locals: number[]) {
  const two = locals.map(() => f.local(V128));
  return { init: locals.flatMap((k, n) => [...get(k), ...op.splat, ...set(two[n])]), of: (l: Lanes) => (l === TWO ? two : locals) };
}

/**
 * step(w, x, d, dp, nIn, n, rate): one sample's fused pass over a layer: dp[i] += Σ_j d[j]·w[j·nIn + i]
 * with the old weights (only when `propagate`), and w[j·nIn + i] = w − rate·(d[j]·x[i]).
 */
function fusedStep(propagate: boolean): ExportedFunction {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, F64]);
  const [W, X, D, DP, NIN, N, RATE] = range(7);
  const rate = settings(f, [RATE]);
  const body = stepTiles(f, { W, X, D, DP, NIN, N }, propagate, ({ l, wv, dv, xv }) =>
    [...get(wv), ...get(rate.of(l)[0]), ...get(dv), ...get(xv), ...l.mul, ...l.mul, ...l.sub]);
  return { name: propagate ? 'step' : 'stepFirst', builder: f, body: [...rate.init, ...body] };
}

/** m/c1 is m itself once 1 − β₁ᵗ has rounded to 1 (t ≥ 356 for β₁ = 0.9): Adam's kernels then skip that division, a quarter of their divider's work. */
const correctedToOne = (c1: number): Code => [...get(c1), ...op.f64Const(1), ...op.f64Eq];

/**
 * The fused step with an optimizer's rule (compute/optimizer-steps.ts's loops, operation for
 * operation): ruleStep(w, x, d, dp, nIn, n, vOffset, mOffset, acc, rate, lambda, beta1, 1 − beta1,
 * beta2, 1 − beta2, eps, c1, c2), the state of the weight at address a at a + vOffset and a + mOffset
 * bytes. dp as in `step`; g = d[j]·x[i] (+ lambda·w with decay, and the old weights' Σ w² added to
 * the double at acc); then 'decay': w = w − rate·g; momentum (beta1 its β): v = β·v + g,
 * w = w − rate·v; Adam: the `adam` kernel's arithmetic below.
 */
function ruleStep(propagate: boolean, rule: StepRule): ExportedFunction {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, F64]);
  const [W, X, D, DP, NIN, N, VOFF, MOFF, ACC, ...S] = range(18);
  const s = settings(f, S);
  const decays = rule === 'decay' || rule.endsWith('-decay');
  const pass = (short: boolean) => stepTiles(f, { W, X, D, DP, NIN, N, squares: decays ? ACC : undefined }, propagate, ({ l, wv, dv, xv, row }, i) => {
    const [rate, lambda, beta1, rest1, beta2, rest2, eps, c1, c2] = s.of(l);
    const [gv, mv, vv] = [f.local(l.type), f.local(l.type), f.local(l.type)];
    const stateAt = (offset: number): Code => [...get(row), ...get(i), ...op.add, ...get(offset), ...op.add];
    const gx = [...get(dv), ...get(xv), ...l.mul];
    const g = decays ? [...gx, ...get(lambda), ...get(wv), ...l.mul, ...l.add] : gx;
    if (rule === 'decay') return [...get(wv), ...get(rate), ...g, ...l.mul, ...l.sub];
    if (rule === 'momentum' || rule === 'momentum-decay') {
      return [
        ...stateAt(VOFF), ...get(beta1), ...stateAt(VOFF), ...l.load, ...l.mul, ...g, ...l.add, ...set(vv), ...get(vv), ...l.store,
        ...get(wv), ...get(rate), ...get(vv), ...l.mul, ...l.sub,
      ];
    }
    return [
      ...g, ...set(gv),
      ...stateAt(MOFF), ...get(beta1), ...stateAt(MOFF), ...l.load, ...l.mul, ...get(rest1), ...get(gv), ...l.mul, ...l.add, ...set(mv), ...get(mv), ...l.store,
      ...stateAt(VOFF), ...get(beta2), ...stateAt(VOFF), ...l.load, ...l.mul, ...get(rest2), ...get(gv), ...get(gv), ...l.mul, ...l.mul, ...l.add, ...set(vv), ...get(vv), ...l.store,
      ...get(wv),
      ...get(rate), ...get(mv), ...(short ? [] : [...get(c1), ...l.div]), ...l.mul,
      ...get(vv), ...get(c2), ...l.div, ...l.sqrt, ...get(eps), ...l.add,
      ...l.div, ...l.sub,
    ];
  }, 2);
  const body = rule.startsWith('adam') ? choose(correctedToOne(S[7]), pass(true), pass(false)) : pass(false);
  return { name: `${propagate ? 'step' : 'stepFirst'}-${rule}`, builder: f, body: [...s.init, ...body] };
}

export const RULES: readonly StepRule[] = ['decay', 'momentum', 'momentum-decay', 'adam', 'adam-decay'];

/** update(p, g, count, rate): p[i] = p[i] − rate·g[i]. */
function update(): ExportedFunction {
  const f = new FunctionBuilder([I32, I32, I32, F64]);
  const [P, G, COUNT, RATE] = range(4);
  const c = counters(f, COUNT);
  const rate2 = f.local(V128);
  const body = (l: Lanes) => [
    ...get(P), ...get(c.i), ...op.add,
    ...loadAt(l, P, c.i), ...get(l === TWO ? rate2 : RATE), ...loadAt(l, G, c.i), ...l.mul, ...l.sub, ...l.store,
  ];
  return { name: 'update', builder: f, body: [...c.init, ...get(RATE), ...op.splat, ...set(rate2), ...sweep(c, COUNT, body(TWO), body(ONE))] };
}

/**
 * An element-wise kernel `name(arrays…, count, settings…)`: `body` is the work on element i for the
 * vector loop (settings splatted into both lanes) and for an odd last element; it gets the lanes,
 * the arrays' parameters, the settings' locals and a function for fresh locals of the lanes' type.
 * With `shortcut` (a condition on the settings), the loop is emitted twice and `body` learns, as
 * `short`, in which of them it runs.
 */
function elementwise(name: string, arrays: number, settings: number,
  body: (l: Lanes, i: number, setting: number[], temp: () => number, short: boolean) => Code, shortcut?: (setting: number[]) => Code): ExportedFunction {
  const f = new FunctionBuilder([...range(arrays + 1).map((): ValType => I32), ...range(settings).map((): ValType => F64)]);
  const count = arrays;
  const one = range(settings).map((k) => count + 1 + k);
  const c = counters(f, count);
  const two = one.map(() => f.local(V128));
  const splats = one.flatMap((k, n) => [...get(k), ...op.splat, ...set(two[n])]);
  const loop = (short: boolean) => {
    const lanes = (l: Lanes) => body(l, c.i, l === TWO ? two : one, () => f.local(l.type), short);
    return sweep(c, count, lanes(TWO), lanes(ONE));
  };
  return { name, builder: f, body: [...c.init, ...splats, ...(shortcut ? choose(shortcut(one), loop(true), loop(false)) : loop(false))] };
}

/** `array[i] = value`, leaving nothing on the stack. */
const storeAt = (l: Lanes, array: number, i: number, value: Code): Code => [...get(array), ...get(i), ...op.add, ...value, ...l.store];

/**
 * momentum(p, g, v, count, rate, beta): the momentum record's `apply` (math/optimizers.ts) without
 * frozen parameters, operation for operation: v[i] = beta·v[i] + g[i]; p[i] = p[i] − rate·v[i].
 */
function momentum(): ExportedFunction {
  const [P, G, V] = range(3);
  return elementwise('momentum', 3, 2, (l, i, [rate, beta], temp) => {
    const v = temp();
    return [
      ...get(beta), ...loadAt(l, V, i), ...l.mul, ...loadAt(l, G, i), ...l.add, ...set(v),
      ...storeAt(l, V, i, get(v)),
      ...storeAt(l, P, i, [...loadAt(l, P, i), ...get(rate), ...get(v), ...l.mul, ...l.sub]),
    ];
  });
}

/**
 * adam(p, g, m, v, count, rate, beta1, 1 − beta1, beta2, 1 − beta2, eps, c1, c2), with c1, c2 the
 * bias corrections 1 − βᵗ of this update: the Adam record's `apply`, operation for operation:
 * m = β₁·m + (1 − β₁)·g; v = β₂·v + (1 − β₂)·(g·g); p = p − (rate·(m/c1)) / (√(v/c2) + eps).
 */
function adam(): ExportedFunction {
  const [P, G, M, V] = range(4);
  return elementwise('adam', 4, 8, (l, i, [rate, beta1, rest1, beta2, rest2, eps, c1, c2], temp, short) => {
    const [g, m, v] = [temp(), temp(), temp()];
    return [
      ...loadAt(l, G, i), ...set(g),
      ...get(beta1), ...loadAt(l, M, i), ...l.mul, ...get(rest1), ...get(g), ...l.mul, ...l.add, ...set(m),
      ...get(beta2), ...loadAt(l, V, i), ...l.mul, ...get(rest2), ...get(g), ...get(g), ...l.mul, ...l.mul, ...l.add, ...set(v),
      ...storeAt(l, M, i, get(m)),
      ...storeAt(l, V, i, get(v)),
      ...storeAt(l, P, i, [
        ...loadAt(l, P, i),
        ...get(rate), ...get(m), ...(short ? [] : [...get(c1), ...l.div]), ...l.mul,
        ...get(v), ...get(c2), ...l.div, ...l.sqrt, ...get(eps), ...l.add,
        ...l.div, ...l.sub,
      ]),
    ];
  }, (setting) => correctedToOne(setting[6]));
}

/**
 * decay(w, gOffset, nIn, n, lambda, acc): over one layer's n rows of nIn weights, compute/decay.ts's
 * `layerSquares` added to the double at acc, and the gradient's g = g + lambda·w, g at the weight's
 * address + gOffset bytes. Without `withGradient`, squares(w, nIn, n, acc): the sum alone.
 */
function decay(withGradient: boolean): ExportedFunction {
  const f = new FunctionBuilder(withGradient ? [I32, I32, I32, I32, F64, I32] : [I32, I32, I32, I32]);
  // −1: a parameter `squares` does not have (never read).
  const [W, GOFF, NIN, N, LAMBDA, ACC] = withGradient ? range(6) : [0, -1, 1, 2, -1, 3];
  const c = counters(f, NIN);
  const lambda = settings(f, withGradient ? [LAMBDA] : []);
  const tile = (R: number): Code => {
    const sq = rowSquares(f, R);
    const wp = range(R).map(() => f.local(I32));
    const body = (l: Lanes) => {
      const wv = f.local(l.type);
      return range(R).flatMap((r) => {
        const gAt: Code = [...get(wp[r]), ...get(c.i), ...op.add, ...get(GOFF), ...op.add];
        const gradient = (): Code => [...gAt, ...gAt, ...l.load, ...get(lambda.of(l)[0]), ...get(wv), ...l.mul, ...l.add, ...l.store];
        return [...loadAt(l, wp[r], c.i), ...set(wv), ...sq.add(l, r, wv), ...(withGradient ? gradient() : [])];
      });
    };
    return [
      ...sq.init,
      ...range(R).flatMap((r) => [...rowAt(W, c.j, r, c.rowBytes), ...set(wp[r])]),
      ...sweep(c, NIN, body(TWO), body(ONE)),
      ...sq.finish(ACC),
    ];
  };
  return { name: withGradient ? 'decay' : 'squares', builder: f, body: [...c.init, ...lambda.init, ...tiles({ v: c.j, by: 4, limit: N }, tile)] };
}

let bytes: Uint8Array<ArrayBuffer> | undefined;

/** The kernel module's bytes (built once). */
export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  bytes ??= assembleModule([forward(), backward(), accumulate(), fusedStep(true), fusedStep(false), update(), momentum(), adam(), decay(true), decay(false), ...RULES.flatMap((r) => [ruleStep(true, r), ruleStep(false, r)])]);
  return bytes;
}
