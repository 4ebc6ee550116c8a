/**
 * The part of the WebAssembly JavaScript API the kernels use, declared here rather than taken from a
 * lib (the engine compiles against ECMAScript alone): present in Node ≥ 16, browsers and web
 * workers; `undefined` where a host has no WebAssembly at all.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
