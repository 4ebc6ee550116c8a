/** Types for renderer/build.mjs (used by the renderer's tests and benchmark). */
export declare const rendererBuild: Record<string, unknown>;
export declare function copyKatexAssets(root: string): void;
export declare function buildRenderer(root: string, options?: { production?: boolean }): Promise<void>;
