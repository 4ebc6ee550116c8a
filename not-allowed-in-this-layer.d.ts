// Deliberately not a module. A layer's tsconfig maps the modules that layer must not import here
// ("paths"): TypeScript would otherwise find their @types packages in node_modules whatever "types"
// says, so `import … from 'vscode'` in the engine would compile. Mapped here it is error TS2306
// "File '…/not-allowed-in-this-layer.d.ts' is not a module". ESLint's no-restricted-imports says why.
