/**
 * The renderer's own stylesheet. Every colour is a `--vscode-*` theme variable with a fallback, so
 * outputs read well in light, dark and high-contrast themes and outside VS Code (tests, exports).
 */
export const CSS = `
.bp-root {
  --bp-fg: var(--vscode-editor-foreground, var(--vscode-foreground, #1f1f1f));
  --bp-bg: var(--vscode-editor-background, #ffffff);
  --bp-muted: var(--vscode-descriptionForeground, #6b6b6b);
  --bp-border: var(--vscode-editorWidget-border, var(--vscode-panel-border, #c8c8c8));
  --bp-head-bg: var(--vscode-editorWidget-background, rgba(128,128,128,0.10));
  --bp-pos: var(--vscode-charts-red, #d0463c);
  --bp-neg: var(--vscode-charts-blue, #2f74c0);
  --bp-ok: var(--vscode-testing-iconPassed, #388a34);
  --bp-bad: var(--vscode-testing-iconFailed, var(--vscode-errorForeground, #c72e0f));
  --bp-warn: var(--vscode-editorWarning-foreground, #bf8803);
  --bp-hl: var(--vscode-editor-findMatchHighlightBackground, rgba(234,92,0,0.33));
  --bp-hl-border: var(--vscode-contrastActiveBorder, var(--vscode-focusBorder, #ea5c00));
  --bp-focus: var(--vscode-focusBorder, #0078d4);
  --bp-tip-bg: var(--vscode-editorHoverWidget-background, #f3f3f3);
  --bp-tip-fg: var(--vscode-editorHoverWidget-foreground, var(--bp-fg));
  --bp-tip-border: var(--vscode-editorHoverWidget-border, #c8c8c8);
  --bp-node-bg: var(--vscode-editor-background, #ffffff);
  --bp-link: var(--vscode-textLink-foreground, #006ab1);
  --bp-walk: var(--vscode-focusBorder, #0078d4);
  --bp-walk-bg: color-mix(in srgb, var(--bp-walk) 14%, transparent);
  position: relative;
  color: var(--bp-fg);
  font-family: var(--vscode-font-family, system-ui, sans-serif);
  font-size: var(--vscode-font-size, 13px);
  line-height: 1.45;
  padding: 4px 2px 8px;
}
.bp-root h3 { font-size: 1.08em; margin: 12px 0 4px; font-weight: 600; }
.bp-root h4 { font-size: 1em; margin: 8px 0 4px; font-weight: 600; color: var(--bp-muted); }
.bp-summary { margin: 2px 0 6px; }
.bp-muted { color: var(--bp-muted); }
.bp-notes { border-left: 3px solid var(--bp-warn); padding: 2px 8px; margin: 6px 0; }
.bp-table { border-collapse: collapse; margin: 4px 0 8px; font-variant-numeric: tabular-nums; }
.bp-table th, .bp-table td { border: 1px solid var(--bp-border); padding: 4px 8px; text-align: left; vertical-align: middle; }
.bp-table th { background: var(--bp-head-bg); font-weight: 600; }
.bp-table td.bp-num { text-align: right; font-family: var(--vscode-editor-font-family, ui-monospace, monospace); white-space: nowrap; }
.bp-table tr[data-bp]:focus, .bp-root [data-bp]:focus { outline: 2px solid var(--bp-focus); outline-offset: -2px; }
.bp-root .bp-hl, .bp-table tr.bp-hl > td { background: var(--bp-hl); }
.bp-root span.bp-hl { outline: 1px solid var(--bp-hl-border); border-radius: 2px; }
.bp-formula { line-height: 2.1; white-space: nowrap; }
.bp-root .katex { font-size: 1.08em; }
.bp-scroll { overflow-x: auto; max-width: 100%; }
.bp-sub2 { padding-left: 52px; }
.bp-delta { border-top: 1px dotted var(--bp-border); }
/* A long sum broken one term a row (tex.ts): the terms after the first, indented under it. */
.bp-formula.bp-more { padding-left: 1.6em; border-top: none; }
.bp-sub { padding-left: 18px; color: var(--bp-muted); }
.bp-sub .katex { color: var(--bp-fg); }
.bp-frozen { color: var(--bp-muted); font-style: italic; }
.bp-ok { color: var(--bp-ok); font-weight: 600; }
.bp-bad { color: var(--bp-bad); font-weight: 600; }
.bp-factor { display: inline-block; }
.bp-suspect { outline: 2px solid var(--bp-bad); border-radius: 3px; background: color-mix(in srgb, var(--bp-bad) 14%, transparent); }
.bp-check-line { margin: 3px 0; }
.bp-factors { margin: 2px 0 6px 22px; }
.bp-step { margin: 1px 0 1px 8px; }
.bp-finding, .bp-step .bp-muted { font-weight: normal; }
.bp-notchecked { margin: 6px 0; }
.bp-notchecked li { margin: 2px 0; }
.bp-notchecked code { white-space: pre-wrap; word-break: break-word; }
.bp-suggestion { margin-left: 12px; color: var(--bp-fg); font-style: italic; }
.bp-diagram { display: block; max-width: 100%; height: auto; overflow: visible; }
.bp-diagram .bp-edge-hit { fill: transparent; stroke: none; cursor: help; }
.bp-diagram .bp-edge { fill: none; }
.bp-diagram text { fill: var(--bp-fg); font-size: 12px; font-family: var(--vscode-font-family, system-ui, sans-serif); font-variant-numeric: tabular-nums; }
.bp-diagram .bp-wlabel { font-size: 12px; cursor: help; }
.bp-diagram .bp-script { font-size: 0.88em; }
.bp-diagram .bp-italic { font-style: italic; font-family: 'KaTeX_Math', 'Times New Roman', serif; }
.bp-diagram .bp-wlabel-bg { fill: var(--bp-bg); fill-opacity: 0.9; pointer-events: none; }
.bp-diagram .bp-node { cursor: help; }
.bp-diagram .bp-node circle { fill: var(--bp-node-bg); stroke: var(--bp-fg); stroke-width: 1.3; }
.bp-diagram g.bp-hl .bp-edge { filter: drop-shadow(0 0 2.5px var(--bp-hl-border)) drop-shadow(0 0 1px var(--bp-hl-border)); }
.bp-diagram .bp-node.bp-hl rect, .bp-diagram .bp-node.bp-hl circle { stroke: var(--bp-hl-border); stroke-width: 3; }
.bp-diagram .bp-wlabel.bp-hl { fill: var(--bp-hl-border); font-weight: 700; }
.bp-diagram [data-bp]:focus .bp-edge { filter: drop-shadow(0 0 2px var(--bp-focus)); }
.bp-diagram [data-bp]:focus rect, .bp-diagram [data-bp]:focus circle { stroke: var(--bp-focus); stroke-width: 2.5; }
.bp-diagram .bp-node .bp-nname { font-weight: 700; font-size: 13px; }
.bp-diagram .bp-node .bp-nval { font-size: 11px; fill: var(--bp-muted); }
.bp-diagram .bp-more circle { stroke-dasharray: 3 2; }
.bp-diagram [data-bp]:focus { outline: none; }
.bp-legend { font-size: 0.92em; color: var(--bp-muted); margin: 0 0 6px; }
.bp-legend .bp-pos { color: var(--bp-pos); font-weight: 600; }
.bp-legend .bp-neg { color: var(--bp-neg); font-weight: 600; }
.bp-tip {
  position: absolute; z-index: 10; max-width: min(440px, calc(100% - 8px)); box-sizing: border-box;
  background: var(--bp-tip-bg); color: var(--bp-tip-fg); border: 1px solid var(--bp-tip-border);
  border-radius: 4px; padding: 6px 9px; box-shadow: 0 2px 8px rgba(0,0,0,0.25); pointer-events: none;
  font-size: 12px; line-height: 1.5;
}
.bp-tip[hidden] { display: none; }
.bp-tip .bp-tip-title { font-weight: 700; margin-bottom: 2px; }
.bp-tip .bp-tip-row { margin: 1px 0; }
.bp-tip .katex { font-size: 1.05em; }
.bp-root details { margin: 4px 0; }
.bp-root summary { cursor: pointer; }
.bp-picker { display: inline-block; margin: 0 0 4px; }
.bp-root select {
  font: inherit; color: var(--vscode-dropdown-foreground, var(--bp-fg)); background: var(--vscode-dropdown-background, var(--bp-bg));
  border: 1px solid var(--vscode-dropdown-border, var(--bp-border)); border-radius: 2px; padding: 0 4px;
}
.bp-pager { display: flex; gap: 6px; align-items: center; margin: 2px 0 8px; }
.bp-root button {
  font: inherit; color: var(--vscode-button-secondaryForeground, var(--bp-fg));
  background: var(--vscode-button-secondaryBackground, rgba(128,128,128,0.15));
  border: 1px solid var(--vscode-button-border, var(--bp-border)); border-radius: 2px; padding: 1px 8px; cursor: pointer;
}
.bp-root button:disabled { opacity: 0.5; cursor: default; }
.bp-root button:focus-visible, .bp-root summary:focus-visible, .bp-root input:focus-visible { outline: 1px solid var(--bp-focus); }
.bp-curve { display: block; max-width: 100%; height: auto; }
.bp-curve .bp-axis, .bp-curve .bp-tick { stroke: var(--bp-muted); stroke-width: 1; }
.bp-curve .bp-line { stroke: var(--bp-link); stroke-width: 1.8; fill: none; }
.bp-curve text { fill: var(--bp-muted); font-size: 10px; font-family: var(--vscode-editor-font-family, ui-monospace, monospace); }
.bp-curve .bp-dot { fill: var(--bp-link); }
.bp-curve .bp-grid { stroke: var(--bp-border); stroke-width: 0.5; }
.bp-error { color: var(--bp-bad); }
.bp-pending .bp-formula { color: var(--bp-muted); line-height: 2.6; }
.bp-walkbar { margin: 4px 0 8px; padding: 4px 6px; border: 1px solid var(--bp-border); border-radius: 4px; }
.bp-walkbar:focus-visible { outline: 1px solid var(--bp-focus); }
.bp-walk-buttons { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.bp-walk-buttons button { min-width: 2.2em; }
.bp-walk-status { color: var(--bp-muted); }
.bp-walk-now:empty { display: none; }
.bp-walk-now { margin-top: 2px; overflow-x: auto; }
.bp-root tr.bp-now > td, .bp-root .bp-total.bp-now { background: var(--bp-walk-bg); }
.bp-root .bp-now-row > td, .bp-root div.bp-now-row { background: var(--bp-walk-bg); border-left: 3px solid var(--bp-walk); }
.bp-diagram.bp-walking .bp-edge-g:not(.bp-walk), .bp-diagram.bp-walking .bp-node:not(.bp-walk) { opacity: 0.35; }
.bp-diagram .bp-edge-g.bp-walk .bp-edge { stroke: var(--bp-walk); stroke-width: 3.5; }
.bp-diagram .bp-node.bp-walk rect, .bp-diagram .bp-node.bp-walk circle { stroke: var(--bp-walk); stroke-width: 3; }
.bp-diagram .bp-wlabel.bp-walk { fill: var(--bp-walk); font-weight: 700; }
body.vscode-high-contrast .bp-root, body.vscode-high-contrast-light .bp-root { --bp-muted: var(--vscode-descriptionForeground, var(--bp-fg)); --bp-hl: transparent; }
body.vscode-high-contrast .bp-root .bp-hl, body.vscode-high-contrast-light .bp-root .bp-hl { outline: 2px dashed var(--bp-hl-border); }
body.vscode-high-contrast .bp-table th, body.vscode-high-contrast .bp-table td { border-color: var(--vscode-contrastBorder, #6fc3df); }
`;
