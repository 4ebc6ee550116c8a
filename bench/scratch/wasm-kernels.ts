/**
 * PROTOTYPE (bench only): is WebAssembly SIMD worth it for the float64 engine? The engine's `dot`
 * keeps two partial sums, even and odd indices, which are exactly the two lanes of an f64x2, and its
 * gradient sums run over samples in order for each entry, which an f64x2 does for two entries at
 * once — so wasm kernels can produce bitwise the same numbers. This file hand-assembles three such
 * kernels (no toolchain needed): the forward Z = X·Wᵀ (2 neurons × 2 samples per tile), the
 * weight-gradient G += Dᵀ·X (4 samples per pass) and the hidden deltas D += Dn·W; run directly it
 * times the first two against the engine's JavaScript kernels on the bench's layer shapes, checking
 * that the results are bitwise identical. bench/scratch/wasm-trainer.ts builds a trainer on them.
 *
 *   node --import tsx bench/scratch/wasm-kernels.ts
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

// --- a minimal assembler: LEB128 and the handful of opcodes the kernel needs ---
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
};
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const str = (s: string) => [...uleb(s.length), ...Buffer.from(s)];

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32 = (n: number) => [0x41, ...sleb(n)];
const ADD = 0x6a, MUL = 0x6c, LT_U = 0x49;
const simd = (op: number) => [0xfd, ...uleb(op)];
const V128_LOAD = (offset: number) => [...simd(0x00), 3, ...uleb(offset)];
const F64X2_ADD = simd(0xf0), F64X2_MUL = simd(0xf2);
const LANE = (k: number) => [...simd(0x21), k];
const F64_ADD = 0xa0;
const F64_STORE = (offset: number) => [0x39, 3, ...uleb(offset)];
const V128_ZERO = [...simd(0x0c), ...new Array(16).fill(0)];

/** `for (v = 0; v < limit; v += step) body` with locals: a block around a loop. */
function forLoop(v: number, limit: number[], step: number, body: number[]): number[] {
  return [
    ...i32(0), ...set(v),
    0x02, 0x40, 0x03, 0x40,
    ...get(v), ...limit, LT_U, 0x45 /* i32.eqz */, 0x0d, 1, // exit the block when !(v < limit)
    ...body,
    ...get(v), ...i32(step), ADD, ...set(v),
    0x0c, 0, 0x0b, 0x0b,
  ];
}

/**
 * forward(w, x, z, nIn, nOut, count): byte addresses w, x, z; nIn, nOut, count even.
 * z[s·nOut + j] = Σ_i w[j·nIn + i]·x[s·nIn + i] with the even/odd lanes added last, as `dot` does.
 */
function forwardBody(): number[] {
  // params 0..5: w x z nIn nOut count; i32 locals 6..12: j s i r0 r1 x0 x1; v128 locals 13..16.
  const [W, X, Z, NIN, NOUT, COUNT] = [0, 1, 2, 3, 4, 5];
  const [J, S, I, R0, R1, X0, X1] = [6, 7, 8, 9, 10, 11, 12];
  const [A00, A01, A10, A11] = [13, 14, 15, 16];
  const rowBytes = [...get(NIN), ...i32(8), MUL];
  const madd = (acc: number, r: number, xr: number) => [
    ...get(acc), ...get(r), ...get(I), ADD, ...V128_LOAD(0), ...get(xr), ...get(I), ADD, ...V128_LOAD(0),
    ...F64X2_MUL, ...F64X2_ADD, ...set(acc),
  ];
  // z address of (sample s + ds, neuron j + dj)
  const zAddr = (ds: number, dj: number) => [
    ...get(Z), ...get(S), ...i32(ds), ADD, ...get(NOUT), MUL, ...get(J), ...i32(dj), ADD, ADD, ...i32(8), MUL, ADD,
  ];
  const store = (acc: number, ds: number, dj: number) => [
    ...zAddr(ds, dj), ...get(acc), ...LANE(0), ...get(acc), ...LANE(1), F64_ADD, ...F64_STORE(0),
  ];
  const inner = forLoop(I, rowBytes, 16, [...madd(A00, R0, X0), ...madd(A01, R0, X1), ...madd(A10, R1, X0), ...madd(A11, R1, X1)]);
  const perSamplePair = [
    ...get(X), ...get(S), ...rowBytes, MUL, ADD, ...set(X0),
    ...get(X0), ...rowBytes, ADD, ...set(X1),
    ...V128_ZERO, ...set(A00), ...V128_ZERO, ...set(A01), ...V128_ZERO, ...set(A10), ...V128_ZERO, ...set(A11),
    ...inner,
    ...store(A00, 0, 0), ...store(A01, 1, 0), ...store(A10, 0, 1), ...store(A11, 1, 1),
  ];
  const perNeuronPair = [
    ...get(W), ...get(J), ...rowBytes, MUL, ADD, ...set(R0),
    ...get(R0), ...rowBytes, ADD, ...set(R1),
    ...forLoop(S, get(COUNT), 2, perSamplePair),
  ];
  const body = [...vec([[7, 0x7f], [4, 0x7b]]), ...forLoop(J, get(NOUT), 2, perNeuronPair), 0x0b];
  return body;
}

/**
 * accumulate(g, x, d, nIn, n, count): G[j,:] += Σ_s D[s,j]·X[s,:] over s in order, 4 samples per pass
 * (count a multiple of 4, nIn even); one f64x2 register holds G[j, i..i+1] across the 4 additions.
 */
function accumulateBody(): number[] {
  const [G, X, D, NIN, N, COUNT] = [0, 1, 2, 3, 4, 5];
  const [J, S, I, ROW, X0, X1, X2, X3] = [6, 7, 8, 9, 10, 11, 12, 13];
  const [D0, D1, D2, D3, GV] = [14, 15, 16, 17, 18];
  const rowBytes = [...get(NIN), ...i32(8), MUL];
  const F64_LOAD = (offset: number) => [0x2b, 3, ...uleb(offset)];
  const SPLAT = simd(0x14);
  const dOf = (ds: number) => [...get(D), ...get(S), ...i32(ds), ADD, ...get(N), MUL, ...get(J), ADD, ...i32(8), MUL, ADD, ...F64_LOAD(0), ...SPLAT];
  const xOf = (ds: number, local: number) => [...get(X), ...get(S), ...i32(ds), ADD, ...rowBytes, MUL, ADD, ...set(local)];
  const term = (dv: number, xr: number) => [...get(GV), ...get(dv), ...get(xr), ...get(I), ADD, ...V128_LOAD(0), ...F64X2_MUL, ...F64X2_ADD, ...set(GV)];
  const inner = forLoop(I, rowBytes, 16, [
    ...get(ROW), ...get(I), ADD, ...V128_LOAD(0), ...set(GV),
    ...term(D0, X0), ...term(D1, X1), ...term(D2, X2), ...term(D3, X3),
    ...get(ROW), ...get(I), ADD, ...get(GV), ...simd(0x0b), 3, 0, // v128.store
  ]);
  const perGroup = [
    ...dOf(0), ...set(D0), ...dOf(1), ...set(D1), ...dOf(2), ...set(D2), ...dOf(3), ...set(D3),
    ...xOf(0, X0), ...xOf(1, X1), ...xOf(2, X2), ...xOf(3, X3),
    ...inner,
  ];
  const perNeuron = [...get(G), ...get(J), ...rowBytes, MUL, ADD, ...set(ROW), ...forLoop(S, get(COUNT), 4, perGroup)];
  const body = [...vec([[8, 0x7f], [5, 0x7b]]), ...forLoop(J, get(N), 1, perNeuron), 0x0b];
  return body;
}

/**
 * backward(dn, w, d, n, nNext, count): D[s,:] += Σ_j Dn[s,j]·W[j,:] in j order, 2 rows × 2 samples
 * per pass (n, nNext, count even). The caller zeroes D first and applies f′ after.
 */
function backwardBody(): number[] {
  const [DN, W, D, N, NNEXT, COUNT] = [0, 1, 2, 3, 4, 5];
  const [S, J, I, A, B, NA, NB, R0, R1] = [6, 7, 8, 9, 10, 11, 12, 13, 14];
  const [A0, A1, B0, B1, W0, W1, U] = [15, 16, 17, 18, 19, 20, 21];
  const bytes = (k: number) => [...get(k), ...i32(8), MUL];
  const F64_LOAD = [0x2b, 3, 0];
  const SPLAT = simd(0x14);
  const dAt = (row: number, dj: number) => [...get(row), ...get(J), ...i32(dj), ADD, ...i32(8), MUL, ADD, ...F64_LOAD, ...SPLAT];
  const V128_STORE = [...simd(0x0b), 3, 0];
  const lane = (row: number, d0: number, d1: number) => [
    ...get(row), ...get(I), ADD,
    ...get(row), ...get(I), ADD, ...V128_LOAD(0),
    ...get(d0), ...get(W0), ...F64X2_MUL, ...F64X2_ADD,
    ...get(d1), ...get(W1), ...F64X2_MUL, ...F64X2_ADD,
    ...V128_STORE,
  ];
  const inner = forLoop(I, bytes(N), 16, [
    ...get(R0), ...get(I), ADD, ...V128_LOAD(0), ...set(W0),
    ...get(R1), ...get(I), ADD, ...V128_LOAD(0), ...set(W1),
    ...lane(A, A0, A1), ...lane(B, B0, B1),
  ]);
  const perRowPair = [
    ...get(W), ...get(J), ...bytes(N), MUL, ADD, ...set(R0), ...get(R0), ...bytes(N), ADD, ...set(R1),
    ...dAt(NA, 0), ...set(A0), ...dAt(NA, 1), ...set(A1), ...dAt(NB, 0), ...set(B0), ...dAt(NB, 1), ...set(B1),
    ...inner,
  ];
  const perSamplePair = [
    ...get(D), ...get(S), ...bytes(N), MUL, ADD, ...set(A), ...get(A), ...bytes(N), ADD, ...set(B),
    ...get(DN), ...get(S), ...bytes(NNEXT), MUL, ADD, ...set(NA), ...get(NA), ...bytes(NNEXT), ADD, ...set(NB),
    ...forLoop(J, get(NNEXT), 2, perRowPair),
  ];
  return [...vec([[9, 0x7f], [7, 0x7b]]), ...forLoop(S, get(COUNT), 2, perSamplePair), 0x0b];
}

/** One module, three kernels of type (i32 × 6) → (), over an imported memory `m.mem`. */
export function kernelModule(): Uint8Array<ArrayBuffer> {
  const names = ['forward', 'accumulate', 'backward'];
  const bodies = [forwardBody(), accumulateBody(), backwardBody()];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[0x7f], [0x7f], [0x7f], [0x7f], [0x7f], [0x7f]]), 0]])),
    ...section(2, vec([[...str('m'), ...str('mem'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec(bodies.map(() => [0]))),
    ...section(7, vec(names.map((n, k) => [...str(n), 0x00, k]))),
    ...section(10, vec(bodies.map((b) => [...uleb(b.length), ...b]))),
  ]);
}

export type Kernel = (a: number, b: number, c: number, n1: number, n2: number, count: number) => void;
export interface Kernels { forward: Kernel; accumulate: Kernel; backward: Kernel }

export async function instantiateKernels(memory: WebAssembly.Memory): Promise<Kernels> {
  const instance = await WebAssembly.instantiate(new WebAssembly.Module(kernelModule()), { m: { mem: memory } });
  return instance.exports as unknown as Kernels;
}

/** Synchronous compile: fine in Node and in workers (browsers limit it on the main thread). */
export function instantiateKernelsSync(memory: WebAssembly.Memory): Kernels {
  return new WebAssembly.Instance(new WebAssembly.Module(kernelModule()), { m: { mem: memory } }).exports as unknown as Kernels;
}

/** The engine's JavaScript gradient kernel (8 samples per pass; all deltas non-zero here). */
function jsAccumulate(G: Float64Array, X: Float64Array, D: Float64Array, nIn: number, n: number, count: number): void {
  for (let j = 0; j < n; j++) {
    const row = j * nIn;
    for (let s = 0; s + 7 < count; s += 8) {
      const d0 = D[s * n + j], d1 = D[(s + 1) * n + j], d2 = D[(s + 2) * n + j], d3 = D[(s + 3) * n + j];
      const d4 = D[(s + 4) * n + j], d5 = D[(s + 5) * n + j], d6 = D[(s + 6) * n + j], d7 = D[(s + 7) * n + j];
      const x0 = s * nIn, x1 = x0 + nIn, x2 = x1 + nIn, x3 = x2 + nIn, x4 = x3 + nIn, x5 = x4 + nIn, x6 = x5 + nIn, x7 = x6 + nIn;
      for (let i = 0; i < nIn; i++) {
        let g = G[row + i];
        g += d0 * X[x0 + i]; g += d1 * X[x1 + i]; g += d2 * X[x2 + i]; g += d3 * X[x3 + i];
        g += d4 * X[x4 + i]; g += d5 * X[x5 + i]; g += d6 * X[x6 + i]; g += d7 * X[x7 + i];
        G[row + i] = g;
      }
    }
  }
}

/** The engine's JavaScript kernel (src/engine/trainer.ts forward, without bias and activation). */
function jsForward(W: Float64Array, X: Float64Array, Z: Float64Array, nIn: number, nOut: number, count: number): void {
  let j = 0;
  for (; j + 2 < nOut; j += 3) {
    const r0 = j * nIn, r1 = r0 + nIn, r2 = r1 + nIn;
    for (let s = 0; s + 1 < count; s += 2) {
      const x0 = s * nIn, x1 = x0 + nIn;
      let a00 = 0, a00o = 0, a01 = 0, a01o = 0, a10 = 0, a10o = 0, a11 = 0, a11o = 0, a20 = 0, a20o = 0, a21 = 0, a21o = 0;
      for (let i = 0; i < nIn; i += 2) {
        const u0 = X[x0 + i], u0o = X[x0 + i + 1], u1 = X[x1 + i], u1o = X[x1 + i + 1];
        const w0 = W[r0 + i], w0o = W[r0 + i + 1];
        a00 += w0 * u0; a00o += w0o * u0o; a01 += w0 * u1; a01o += w0o * u1o;
        const w1 = W[r1 + i], w1o = W[r1 + i + 1];
        a10 += w1 * u0; a10o += w1o * u0o; a11 += w1 * u1; a11o += w1o * u1o;
        const w2 = W[r2 + i], w2o = W[r2 + i + 1];
        a20 += w2 * u0; a20o += w2o * u0o; a21 += w2 * u1; a21o += w2o * u1o;
      }
      const o0 = s * nOut + j, o1 = o0 + nOut;
      Z[o0] = a00 + a00o; Z[o1] = a01 + a01o; Z[o0 + 1] = a10 + a10o; Z[o1 + 1] = a11 + a11o; Z[o0 + 2] = a20 + a20o; Z[o1 + 2] = a21 + a21o;
    }
  }
  for (; j < nOut; j++) {
    for (let s = 0; s < count; s++) {
      let s0 = 0, s1 = 0;
      for (let i = 0; i < nIn; i += 2) { s0 += W[j * nIn + i] * X[s * nIn + i]; s1 += W[j * nIn + i + 1] * X[s * nIn + i + 1]; }
      Z[s * nOut + j] = s0 + s1;
    }
  }
}

async function main(): Promise<void> {
  const memory = new WebAssembly.Memory({ initial: 256 });
  const { forward, accumulate } = await instantiateKernels(memory);
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  const view = (byteOffset: number, length: number, fill: boolean) => {
    const v = new Float64Array(memory.buffer, byteOffset, length);
    if (fill) for (let k = 0; k < length; k++) v[k] = random();
    return v;
  };
  const timeIt = (flops: number, f: () => void) => {
    const reps = Math.ceil(2e8 / flops);
    const ts: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) f();
      ts.push(performance.now() - t0);
    }
    ts.sort((a, b) => a - b);
    return (flops * reps) / (ts[2] * 1e6);
  };
  for (const [nIn, nOut] of [[64, 128], [128, 64], [784, 128]]) {
    const count = 32;
    const flops = 2 * nIn * nOut * count;
    const wB = nIn * nOut * 8, xB = count * nIn * 8;
    const Wm = view(0, nIn * nOut, true), Xm = view(wB, count * nIn, true), Zm = view(wB + xB, count * nOut, true);
    const Wj = Float64Array.from(Wm), Xj = Float64Array.from(Xm), Zj = Float64Array.from(Zm);
    const fJs = timeIt(flops, () => jsForward(Wj, Xj, Zj, nIn, nOut, count));
    const fWasm = timeIt(flops, () => forward(0, wB, wB + xB, nIn, nOut, count));
    const fSame = Zm.every((v, k) => Object.is(v, Zj[k]));
    // Gradient: G (same shape as W) += Dᵀ·X, D = the Z buffer used as deltas. Both sides start from
    // the same G and run the same number of repetitions, so their sums must match bitwise.
    Wm.set(Wj);
    const aJs = timeIt(flops, () => jsAccumulate(Wj, Xj, Zj, nIn, nOut, count));
    const aWasm = timeIt(flops, () => accumulate(0, wB, wB + xB, nIn, nOut, count));
    const aSame = Wm.every((v, k) => Object.is(v, Wj[k]));
    console.log(`${nIn}→${nOut} × ${count} samples, GFLOP/s float64 — forward: JS tile ${fJs.toFixed(2)}, wasm f64x2 ${fWasm.toFixed(2)} ` +
      `(×${(fWasm / fJs).toFixed(2)}, ${fSame ? 'bitwise identical' : 'DIFFER'}); gradient: JS ${aJs.toFixed(2)}, wasm ${aWasm.toFixed(2)} ` +
      `(×${(aWasm / aJs).toFixed(2)}, ${aSame ? 'bitwise identical' : 'DIFFER'})`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main().catch((e) => { console.error(e); process.exit(1); });
