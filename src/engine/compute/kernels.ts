/**
 * The trainer's matrix kernels in JavaScript, over one Float64Array heap that holds the parameters,
 * the gradient and the per-chunk buffers (offsets are element indices). Their order of operations
 * is the trainer's definition of the arithmetic, which compute/wasm/module.ts repeats lane by lane:
 * - a net input is `dot` + bias: even-index and odd-index partial sums (an odd last term joins the
 *   even one), added together, then the bias (+0 for a neuron without one);
 * - a back-propagated sum Σ_j δ_j·w_ji starts at +0 and runs over j in order, every term added;
 * - a gradient entry adds its samples' terms in sample order, every term added;
 * - an update is p − η·g; the fused per-sample pass writes w − η·(δ·x), which is the same number
 *   because its g is 0 + δ·x.
 * The tiles (several rows or samples per pass, sharing each load) reorder nothing of that.
 */

/** What the trainer needs from a kernel set; offsets are element indices into the heap. */
export interface MatrixKernels {
  /** Z[s, j] = Σ_i W[j, i]·X[s, i] + B[j] for s < count, j < nOut (rows of nIn and nOut elements). */
  forward(w: number, b: number, x: number, z: number, nIn: number, nOut: number, count: number): void;
  /** D[s, i] += Σ_j Dn[s, j]·W[j, i] for s < count, i < n; W has nNext rows of n. */
  backward(dn: number, w: number, d: number, n: number, nNext: number, count: number): void;
  /** G[j, i] += Σ_s D[s, j]·X[s, i] for j < n, i < nIn, s in order. */
  accumulate(g: number, x: number, d: number, nIn: number, n: number, count: number): void;
  /**
   * One sample's fused pass over a layer of n rows: Dp[i] += Σ_j D[j]·W[j, i] with the old weights
   * (skipped when dp < 0), and W[j, i] = W[j, i] − rate·(D[j]·X[i]).
   */
  step(w: number, x: number, d: number, dp: number, nIn: number, n: number, rate: number): void;
  /** P[i] = P[i] − rate·G[i] for i < count. */
  update(p: number, g: number, count: number, rate: number): void;
}

/** The JavaScript kernels on heap H (a class, not closures, so that V8 can inline the calls). */
export class JsKernels implements MatrixKernels {
  constructor(private readonly H: Float64Array) {}

  forward(w: number, b: number, x: number, z: number, nIn: number, nOut: number, count: number): void {
    const pairs = count & ~1;
    if (pairs > 0) forwardPairs(this.H, w, b, x, z, nIn, nOut, pairs);
    if (pairs < count) forwardOne(this.H, w, b, x + pairs * nIn, z + pairs * nOut, nIn, nOut);
  }

  backward(dn: number, w: number, d: number, n: number, nNext: number, count: number): void {
    let s = 0;
    for (; s + 1 < count; s += 2) backwardPair(this.H, dn + s * nNext, w, d + s * n, n, nNext);
    if (s < count) step(this.H, w, 0, dn + s * nNext, d + s * n, n, nNext, 0, false);
  }

  accumulate(g: number, x: number, d: number, nIn: number, n: number, count: number): void {
    for (let j = 0; j < n; j++) accumulateRow(this.H, g + j * nIn, x, d + j, nIn, n, count);
  }

  step(w: number, x: number, d: number, dp: number, nIn: number, n: number, rate: number): void {
    step(this.H, w, x, d, dp, nIn, n, rate, true);
  }

  update(p: number, g: number, count: number, rate: number): void {
    const H = this.H;
    for (let i = 0; i < count; i++) H[p + i] -= rate * H[g + i];
  }
}

/** Σ H[a + i]·H[b + i], i < n, as two interleaved partial sums. */
export function dot(H: Float64Array, a: number, b: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += H[a + i] * H[b + i];
    s1 += H[a + i + 1] * H[b + i + 1];
  }
  if (i < n) s0 += H[a + i] * H[b + i];
  return s0 + s1;
}

/**
 * One sample: four weight rows share each input load, then single rows. The tiles live in a function
 * of their own so that this one stays small enough for V8 to inline where layers are tiny.
 */
function forwardOne(H: Float64Array, w: number, b: number, x: number, z: number, nIn: number, nOut: number): void {
  const tiled = nOut & ~3;
  if (tiled > 0) forwardOneTiles(H, w, b, x, z, nIn, tiled);
  for (let j = tiled; j < nOut; j++) H[z + j] = dot(H, w + j * nIn, x, nIn) + H[b + j];
}

function forwardOneTiles(H: Float64Array, w: number, b: number, x: number, z: number, nIn: number, rows: number): void {
  const even = nIn & ~1;
  for (let j = 0; j < rows; j += 4) {
    const r0 = w + j * nIn, r1 = r0 + nIn, r2 = r1 + nIn, r3 = r2 + nIn;
    let a0 = 0, b0 = 0, a1 = 0, b1 = 0, a2 = 0, b2 = 0, a3 = 0, b3 = 0;
    for (let i = 0; i < even; i += 2) {
      const u = H[x + i], v = H[x + i + 1];
      a0 += H[r0 + i] * u; b0 += H[r0 + i + 1] * v;
      a1 += H[r1 + i] * u; b1 += H[r1 + i + 1] * v;
      a2 += H[r2 + i] * u; b2 += H[r2 + i + 1] * v;
      a3 += H[r3 + i] * u; b3 += H[r3 + i + 1] * v;
    }
    if (even < nIn) {
      const u = H[x + even];
      a0 += H[r0 + even] * u; a1 += H[r1 + even] * u; a2 += H[r2 + even] * u; a3 += H[r3 + even] * u;
    }
    H[z + j] = a0 + b0 + H[b + j]; H[z + j + 1] = a1 + b1 + H[b + j + 1];
    H[z + j + 2] = a2 + b2 + H[b + j + 2]; H[z + j + 3] = a3 + b3 + H[b + j + 3];
  }
}

/** An even number of samples: 3 rows × 2 samples per tile (even nIn), else 2 × 2, then single rows. */
function forwardPairs(H: Float64Array, w: number, b: number, x: number, z: number, nIn: number, nOut: number, count: number): void {
  let j = 0;
  if (!(nIn & 1)) for (; j + 2 < nOut; j += 3) forwardTile3(H, w + j * nIn, b + j, x, z + j, nIn, nOut, count);
  for (; j + 1 < nOut; j += 2) forwardTile2(H, w + j * nIn, b + j, x, z + j, nIn, nOut, count);
  for (; j < nOut; j++) for (let s = 0; s < count; s++) H[z + s * nOut + j] = dot(H, w + j * nIn, x + s * nIn, nIn) + H[b + j];
}

function forwardTile3(H: Float64Array, r0: number, b: number, x: number, z: number, nIn: number, nOut: number, count: number): void {
  const r1 = r0 + nIn, r2 = r1 + nIn;
  const b0 = H[b], b1 = H[b + 1], b2 = H[b + 2];
  for (let s = 0; s < count; s += 2) {
    const x0 = x + s * nIn, x1 = x0 + nIn;
    let a00 = 0, a00o = 0, a01 = 0, a01o = 0, a10 = 0, a10o = 0, a11 = 0, a11o = 0, a20 = 0, a20o = 0, a21 = 0, a21o = 0;
    for (let i = 0; i < nIn; i += 2) {
      const u0 = H[x0 + i], u0o = H[x0 + i + 1], u1 = H[x1 + i], u1o = H[x1 + i + 1];
      const w0 = H[r0 + i], w0o = H[r0 + i + 1];
      a00 += w0 * u0; a00o += w0o * u0o; a01 += w0 * u1; a01o += w0o * u1o;
      const w1 = H[r1 + i], w1o = H[r1 + i + 1];
      a10 += w1 * u0; a10o += w1o * u0o; a11 += w1 * u1; a11o += w1o * u1o;
      const w2 = H[r2 + i], w2o = H[r2 + i + 1];
      a20 += w2 * u0; a20o += w2o * u0o; a21 += w2 * u1; a21o += w2o * u1o;
    }
    const o0 = z + s * nOut, o1 = o0 + nOut;
    H[o0] = a00 + a00o + b0; H[o1] = a01 + a01o + b0;
    H[o0 + 1] = a10 + a10o + b1; H[o1 + 1] = a11 + a11o + b1;
    H[o0 + 2] = a20 + a20o + b2; H[o1 + 2] = a21 + a21o + b2;
  }
}

function forwardTile2(H: Float64Array, r0: number, b: number, x: number, z: number, nIn: number, nOut: number, count: number): void {
  const r1 = r0 + nIn;
  const b0 = H[b], b1 = H[b + 1];
  const even = nIn & ~1;
  for (let s = 0; s < count; s += 2) {
    const x0 = x + s * nIn, x1 = x0 + nIn;
    let a00 = 0, a00o = 0, a01 = 0, a01o = 0, a10 = 0, a10o = 0, a11 = 0, a11o = 0;
    for (let i = 0; i < even; i += 2) {
      const w0 = H[r0 + i], w0o = H[r0 + i + 1], w1 = H[r1 + i], w1o = H[r1 + i + 1];
      const u0 = H[x0 + i], u0o = H[x0 + i + 1], u1 = H[x1 + i], u1o = H[x1 + i + 1];
      a00 += w0 * u0; a00o += w0o * u0o; a01 += w0 * u1; a01o += w0o * u1o;
      a10 += w1 * u0; a10o += w1o * u0o; a11 += w1 * u1; a11o += w1o * u1o;
    }
    if (even < nIn) {
      const w0 = H[r0 + even], w1 = H[r1 + even], u0 = H[x0 + even], u1 = H[x1 + even];
      a00 += w0 * u0; a01 += w0 * u1; a10 += w1 * u0; a11 += w1 * u1;
    }
    const o0 = z + s * nOut, o1 = o0 + nOut;
    H[o0] = a00 + a00o + b0; H[o1] = a01 + a01o + b0; H[o0 + 1] = a10 + a10o + b1; H[o1 + 1] = a11 + a11o + b1;
  }
}

/** Two samples' deltas: four weight rows × two samples per pass. */
function backwardPair(H: Float64Array, dn: number, w: number, d: number, n: number, nNext: number): void {
  const a = d, b = d + n, na = dn, nb = dn + nNext;
  let j = 0;
  for (; j + 3 < nNext; j += 4) {
    const a0 = H[na + j], a1 = H[na + j + 1], a2 = H[na + j + 2], a3 = H[na + j + 3];
    const b0 = H[nb + j], b1 = H[nb + j + 1], b2 = H[nb + j + 2], b3 = H[nb + j + 3];
    const r0 = w + j * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    for (let i = 0; i < n; i++) {
      const w0 = H[r0 + i], w1 = H[r1 + i], w2 = H[r2 + i], w3 = H[r3 + i];
      let u = H[a + i];
      let v = H[b + i];
      u += a0 * w0; v += b0 * w0;
      u += a1 * w1; v += b1 * w1;
      u += a2 * w2; v += b2 * w2;
      u += a3 * w3; v += b3 * w3;
      H[a + i] = u;
      H[b + i] = v;
    }
  }
  for (; j < nNext; j++) {
    const r = w + j * n, da = H[na + j], db = H[nb + j];
    for (let i = 0; i < n; i++) { const wi = H[r + i]; H[a + i] += da * wi; H[b + i] += db * wi; }
  }
}

/** G row += Σ_s D[s]·X[s, :] over the chunk, 8 then 4 samples per pass; `d` is D[0, j], stride n. */
function accumulateRow(H: Float64Array, row: number, x: number, d: number, nIn: number, n: number, count: number): void {
  let s = 0;
  for (; s + 7 < count; s += 8) {
    const d0 = H[d + s * n], d1 = H[d + (s + 1) * n], d2 = H[d + (s + 2) * n], d3 = H[d + (s + 3) * n];
    const d4 = H[d + (s + 4) * n], d5 = H[d + (s + 5) * n], d6 = H[d + (s + 6) * n], d7 = H[d + (s + 7) * n];
    const x0 = x + s * nIn, x1 = x0 + nIn, x2 = x1 + nIn, x3 = x2 + nIn, x4 = x3 + nIn, x5 = x4 + nIn, x6 = x5 + nIn, x7 = x6 + nIn;
    for (let i = 0; i < nIn; i++) {
      let g = H[row + i];
      g += d0 * H[x0 + i]; g += d1 * H[x1 + i]; g += d2 * H[x2 + i]; g += d3 * H[x3 + i];
      g += d4 * H[x4 + i]; g += d5 * H[x5 + i]; g += d6 * H[x6 + i]; g += d7 * H[x7 + i];
      H[row + i] = g;
    }
  }
  for (; s + 3 < count; s += 4) {
    const d0 = H[d + s * n], d1 = H[d + (s + 1) * n], d2 = H[d + (s + 2) * n], d3 = H[d + (s + 3) * n];
    const x0 = x + s * nIn, x1 = x0 + nIn, x2 = x1 + nIn, x3 = x2 + nIn;
    for (let i = 0; i < nIn; i++) {
      let g = H[row + i];
      g += d0 * H[x0 + i]; g += d1 * H[x1 + i]; g += d2 * H[x2 + i]; g += d3 * H[x3 + i];
      H[row + i] = g;
    }
  }
  for (; s < count; s++) {
    const ds = H[d + s * n], xs = x + s * nIn;
    for (let i = 0; i < nIn; i++) H[row + i] += ds * H[xs + i];
  }
}

/**
 * One sample over one layer, four rows per pass: Dp += Σ_j D[j]·W[j, :] with the old weights (when
 * `propagate` and dp ≥ 0) and, when `write`, W[j, :] −= rate·(D[j]·X). With `write` false it is the
 * one-sample backward pass.
 */
function step(H: Float64Array, w: number, x: number, d: number, dp: number, nIn: number, n: number, rate: number, write: boolean): void {
  const tiled = n & ~3;
  if (tiled > 0) stepTiles(H, w, x, d, dp, nIn, tiled, rate, write);
  for (let j = tiled; j < n; j++) {
    const dj = H[d + j], r = w + j * nIn;
    if (!write) for (let i = 0; i < nIn; i++) H[dp + i] += dj * H[r + i];
    else if (dp < 0) for (let i = 0; i < nIn; i++) H[r + i] -= rate * (dj * H[x + i]);
    else for (let i = 0; i < nIn; i++) { const wi = H[r + i]; H[dp + i] += dj * wi; H[r + i] = wi - rate * (dj * H[x + i]); }
  }
}

function stepTiles(H: Float64Array, w: number, x: number, d: number, dp: number, nIn: number, rows: number, rate: number, write: boolean): void {
  for (let j = 0; j < rows; j += 4) {
    const d0 = H[d + j], d1 = H[d + j + 1], d2 = H[d + j + 2], d3 = H[d + j + 3];
    const r0 = w + j * nIn, r1 = r0 + nIn, r2 = r1 + nIn, r3 = r2 + nIn;
    if (!write) stepTileDeltas(H, r0, r1, r2, r3, d0, d1, d2, d3, dp, nIn);
    else if (dp >= 0) stepTileFused(H, r0, r1, r2, r3, d0, d1, d2, d3, x, dp, nIn, rate);
    else stepTileUpdate(H, r0, r1, r2, r3, d0, d1, d2, d3, x, nIn, rate);
  }
}

function stepTileDeltas(H: Float64Array, r0: number, r1: number, r2: number, r3: number, d0: number, d1: number, d2: number, d3: number, dp: number, nIn: number): void {
  for (let i = 0; i < nIn; i++) {
    let u = H[dp + i];
    u += d0 * H[r0 + i]; u += d1 * H[r1 + i]; u += d2 * H[r2 + i]; u += d3 * H[r3 + i];
    H[dp + i] = u;
  }
}

function stepTileFused(H: Float64Array, r0: number, r1: number, r2: number, r3: number, d0: number, d1: number, d2: number, d3: number, x: number, dp: number, nIn: number, rate: number): void {
  for (let i = 0; i < nIn; i++) {
    const xi = H[x + i];
    const w0 = H[r0 + i], w1 = H[r1 + i], w2 = H[r2 + i], w3 = H[r3 + i];
    let u = H[dp + i];
    u += d0 * w0; u += d1 * w1; u += d2 * w2; u += d3 * w3;
    H[dp + i] = u;
    H[r0 + i] = w0 - rate * (d0 * xi); H[r1 + i] = w1 - rate * (d1 * xi);
    H[r2 + i] = w2 - rate * (d2 * xi); H[r3 + i] = w3 - rate * (d3 * xi);
  }
}

function stepTileUpdate(H: Float64Array, r0: number, r1: number, r2: number, r3: number, d0: number, d1: number, d2: number, d3: number, x: number, nIn: number, rate: number): void {
  for (let i = 0; i < nIn; i++) {
    const xi = H[x + i];
    H[r0 + i] -= rate * (d0 * xi); H[r1 + i] -= rate * (d1 * xi);
    H[r2 + i] -= rate * (d2 * xi); H[r3 + i] -= rate * (d3 * xi);
  }
}
