/**
 * The few parts of the VS Code notebook renderer API (`vscode-notebook-renderer`) this renderer uses,
 * written out so the bundle needs no extra package. Shapes follow VS Code's
 * src/vs/workbench/contrib/notebook/browser/view/renderers/webviewPreloads.ts.
 */
export interface OutputItem {
  readonly id: string;
  readonly mime: string;
  readonly metadata?: unknown;
  text(): string;
  json(): unknown;
  data(): Uint8Array;
}

export interface RendererContext<TState = unknown> {
  getState?(): TState | undefined;
  setState?(value: TState): void;
  readonly workspace?: { readonly isTrusted: boolean };
}

export interface OutputRenderer {
  renderOutputItem(item: OutputItem, element: HTMLElement, signal?: AbortSignal): void | Promise<void>;
  disposeOutputItem?(id?: string): void;
}

export type ActivationFunction<TState = unknown> = (ctx: RendererContext<TState>) => OutputRenderer;
