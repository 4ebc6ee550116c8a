// The host APIs the engine may use: present in Node ≥ 20, web workers and browsers alike. Only the
// engine's own tsconfig includes this file; every other layer gets the real declarations from its
// lib (DOM, WebWorker) or @types/node. See tsconfig.json beside it before adding to this list.

declare function setTimeout(callback: (...args: unknown[]) => void, ms?: number): unknown;

/** Optional: the engine falls back to Date.now() where it is missing. */
declare const performance: { now(): number } | undefined;

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
