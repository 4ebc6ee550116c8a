/**
 * A minimal WebAssembly assembler: just the encodings the trainer's kernels use (i32 address
 * arithmetic, f64 and f64x2 loads, stores, arithmetic and square roots, structured loops and
 * branches), so the kernels are written as TypeScript that emits bytes, with no toolchain and no
 * binary in the repository.
 * Opcodes and encodings: the WebAssembly core specification 2.0 and its SIMD proposal.
 */

export type Code = number[];

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F64 | typeof V128;

export function uleb(n: number): Code {
  const out: Code = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

export function sleb(n: number): Code {
  const out: Code = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const simd = (op: number): Code => [0xfd, ...uleb(op)];
/** Memory immediates: alignment 2^3 (every double is 8-byte aligned), offset 0. */
const MEM = [3, 0];

export const op = {
  get: (local: number): Code => [0x20, ...uleb(local)],
  set: (local: number): Code => [0x21, ...uleb(local)],
  i32: (n: number): Code => [0x41, ...sleb(n)],
  add: [0x6a], mul: [0x6c], and: [0x71], shl: [0x74], leU: [0x4d], ltU: [0x49], eqz: [0x45],
  f64Load: [0x2b, ...MEM], f64Store: [0x39, ...MEM],
  f64Add: [0xa0], f64Sub: [0xa1], f64Mul: [0xa2], f64Div: [0xa3], f64Sqrt: [0x9f], f64Eq: [0x61],
  f64Const: (x: number): Code => {
    const bytes = new DataView(new ArrayBuffer(8));
    bytes.setFloat64(0, x, true);
    return [0x44, ...new Uint8Array(bytes.buffer)];
  },
  v128Load: [...simd(0x00), ...MEM], v128Store: [...simd(0x0b), ...MEM],
  v128Zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  splat: simd(0x14),
  lane: (k: 0 | 1): Code => [...simd(0x21), k],
  f64x2Add: simd(0xf0), f64x2Sub: simd(0xf1), f64x2Mul: simd(0xf2), f64x2Div: simd(0xf3), f64x2Sqrt: simd(0xef),
};

/** Sum of i32 terms: `sum(a, b, c)` leaves a + b + c on the stack. */
export function sum(...terms: Code[]): Code {
  return terms.flatMap((t, k) => (k === 0 ? t : [...t, ...op.add]));
}

/** `if (cond) body` */
export function when(cond: Code, body: Code): Code {
  return [...cond, 0x04, 0x40, ...body, 0x0b];
}

/** `if (cond) then else otherwise` */
export function choose(cond: Code, then: Code, otherwise: Code): Code {
  return [...cond, 0x04, 0x40, ...then, 0x05, ...otherwise, 0x0b];
}

/** `while (cond) body`: a block around a loop that leaves when the condition is false. */
export function whileLoop(cond: Code, body: Code): Code {
  return [0x02, 0x40, 0x03, 0x40, ...cond, ...op.eqz, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
}

/** One function under construction: its parameters, the locals it asks for, then its body. */
export class FunctionBuilder {
  private readonly locals: ValType[] = [];

  constructor(readonly params: ValType[]) {}

  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  /** The function's code-section entry: locals in runs of one type, the body, `end`. */
  encode(body: Code): Code {
    const runs: Code[] = [];
    for (let k = 0; k < this.locals.length;) {
      let n = 1;
      while (k + n < this.locals.length && this.locals[k + n] === this.locals[k]) n++;
      runs.push([...uleb(n), this.locals[k]]);
      k += n;
    }
    const code = [...vec(runs), ...body, 0x0b];
    return [...uleb(code.length), ...code];
  }
}

function vec(items: Code[]): Code {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: Code): Code {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): Code {
  return vec([...s].map((c) => [c.charCodeAt(0)]));
}

export interface ExportedFunction {
  name: string;
  builder: FunctionBuilder;
  body: Code;
}

/** A module that imports its memory as `m.mem` and exports the given functions (no results). */
export function assembleModule(functions: ExportedFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.builder.params.map((t) => [t])), 0]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('m'), ...name('mem'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec(functions.map((_, k) => uleb(k)))),
    ...section(7, vec(functions.map((f, k) => [...name(f.name), 0x00, ...uleb(k)]))),
    ...section(10, vec(functions.map((f) => f.builder.encode(f.body)))),
  ]);
}
