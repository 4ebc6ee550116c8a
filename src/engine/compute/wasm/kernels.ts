/**
 * The WebAssembly SIMD kernels behind the same `MatrixKernels` interface as the JavaScript ones.
 * Only standard WebAssembly APIs, so this runs in Node (extension host, command line) and in a web
 * worker (the web extension host). Where WebAssembly or its SIMD is missing, or a memory cannot be
 * had, `wasmKernels` returns undefined and the trainer keeps the JavaScript kernels, which give
 * bitwise the same results.
 */
import type { OptimizerKernels } from '../../math/optimizers';
import type { MatrixKernels } from '../kernels';
import { wasmApi, type WasmMemory, type WasmModule } from './host';
import { kernelModuleBytes, RULES, type StepRule } from './module';

interface Exports {
  forward(w: number, b: number, x: number, z: number, nIn: number, nOut: number, count: number): void;
  backward(dn: number, w: number, d: number, n: number, nNext: number, count: number): void;
  accumulate(g: number, x: number, d: number, nIn: number, n: number, count: number): void;
  step(w: number, x: number, d: number, dp: number, nIn: number, n: number, rate: number): void;
  stepFirst(w: number, x: number, d: number, dp: number, nIn: number, n: number, rate: number): void;
  update(p: number, g: number, count: number, rate: number): void;
  momentum(p: number, g: number, v: number, count: number, rate: number, beta: number): void;
  adam(p: number, g: number, m: number, v: number, count: number, rate: number, beta1: number, rest1: number, beta2: number, rest2: number, eps: number, c1: number, c2: number): void;
  decay(w: number, gOffset: number, nIn: number, n: number, lambda: number, acc: number): void;
  squares(w: number, nIn: number, n: number, acc: number): void;
}

type RuleKernel = (w: number, x: number, d: number, dp: number, nIn: number, n: number, vOffset: number, mOffset: number, acc: number,
  rate: number, lambda: number, beta1: number, rest1: number, beta2: number, rest2: number, eps: number, c1: number, c2: number) => void;
type RuleSteps = { [K in `step${'' | 'First'}-${StepRule}`]: RuleKernel };

/** The settings of a fused step's rule: momentum's β is beta1; what a rule does not use is ignored. */
export interface RuleSettings { rule: StepRule; rate: number; lambda: number; beta1: number; beta2: number; eps: number; c1: number; c2: number }

let compiled: WasmModule | null | undefined;

/** The compiled kernel module, or null where WebAssembly SIMD is not available. */
function kernelModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    const bytes = kernelModuleBytes();
    // Synchronous compilation is allowed in Node and in workers, where the engine runs.
    if (wasmApi?.validate(bytes)) compiled = new wasmApi.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

export function wasmSimdSupported(): boolean {
  return kernelModule() !== null;
}

/** A WebAssembly memory of at least `bytes` bytes, or undefined when there is none to be had. */
export function wasmMemory(bytes: number): WasmMemory | undefined {
  if (!kernelModule() || !wasmApi) return undefined;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  try {
    return pages <= 65536 ? new wasmApi.Memory({ initial: pages, maximum: pages }) : undefined;
  } catch {
    return undefined;
  }
}

/** The kernels over `memory`, with element offsets as the JavaScript kernels take them. */
export function wasmKernels(memory: WasmMemory): WasmKernels | undefined {
  const module = kernelModule();
  if (!module || !wasmApi) return undefined;
  try {
    return new WasmKernels(new wasmApi.Instance(module, { m: { mem: memory } }).exports as Exports & RuleSteps);
  } catch {
    return undefined;
  }
}

export class WasmKernels implements MatrixKernels, OptimizerKernels {
  /** Each rule's two kernels (with and without a layer below), looked up once rather than by name per call. */
  private readonly rules: Record<StepRule, { step: RuleKernel; first: RuleKernel }>;

  constructor(private readonly k: Exports & RuleSteps) {
    this.rules = Object.fromEntries(RULES.map((r) => [r, { step: k[`step-${r}`], first: k[`stepFirst-${r}`] }])) as WasmKernels['rules'];
  }

  forward(w: number, b: number, x: number, z: number, nIn: number, nOut: number, count: number): void {
    this.k.forward(w * 8, b * 8, x * 8, z * 8, nIn, nOut, count);
  }

  backward(dn: number, w: number, d: number, n: number, nNext: number, count: number): void {
    this.k.backward(dn * 8, w * 8, d * 8, n, nNext, count);
  }

  accumulate(g: number, x: number, d: number, nIn: number, n: number, count: number): void {
    this.k.accumulate(g * 8, x * 8, d * 8, nIn, n, count);
  }

  step(w: number, x: number, d: number, dp: number, nIn: number, n: number, rate: number): void {
    if (dp >= 0) this.k.step(w * 8, x * 8, d * 8, dp * 8, nIn, n, rate);
    else this.k.stepFirst(w * 8, x * 8, d * 8, 0, nIn, n, rate);
  }

  update(p: number, g: number, count: number, rate: number): void {
    this.k.update(p * 8, g * 8, count, rate);
  }

  momentum(p: number, g: number, v: number, count: number, rate: number, beta: number): void {
    this.k.momentum(p * 8, g * 8, v * 8, count, rate, beta);
  }

  /**
   * One sample's fused pass over a layer with an optimizer's rule; v, m: the heap offsets of the
   * state (velocities or second moments, first moments); acc: the double that gains the old
   * weights' Σ w² when the rule decays. 1 − β as in `adam`.
   */
  ruleStep(s: RuleSettings, w: number, x: number, d: number, dp: number, nIn: number, n: number, v: number, m: number, acc: number): void {
    const kernels = this.rules[s.rule];
    (dp >= 0 ? kernels.step : kernels.first)(w * 8, x * 8, d * 8, Math.max(0, dp) * 8, nIn, n, v * 8, m * 8, acc * 8, s.rate, s.lambda, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.eps, s.c1, s.c2);
  }

  /** compute/decay.ts's `layerSquares` over one layer added to the double at acc, and the gradient at g gains λ·w. */
  decay(w: number, g: number, nIn: number, n: number, lambda: number, acc: number): void {
    this.k.decay(w * 8, (g - w) * 8, nIn, n, lambda, acc * 8);
  }

  /** `layerSquares` alone, added to the double at acc. */
  squares(w: number, nIn: number, n: number, acc: number): void {
    this.k.squares(w * 8, nIn, n, acc * 8);
  }

  // 1 − β is the very number the record's loop computes for every element.
  adam(p: number, g: number, m: number, v: number, count: number, rate: number, beta1: number, beta2: number, eps: number, c1: number, c2: number): void {
    this.k.adam(p * 8, g * 8, m * 8, v * 8, count, rate, beta1, 1 - beta1, beta2, 1 - beta2, eps, c1, c2);
  }
}
