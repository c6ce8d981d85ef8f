// Bundles each runnable into one file, so it starts fast and ships without the workspace.
// ---- The terminal (packages/cli): the settings live in packages/cli/build.mjs, which also builds alone. -------------
{
  const { buildCli } = await import('./packages/cli/build.mjs');
  await buildCli();
}

// ---- VS Code extension (packages/vscode) -------------------------------------------------------------------------
// CommonJS with `vscode` left to the host; the settings live in packages/vscode/build.mjs, which also builds alone.
{
  const { buildVscode } = await import('./packages/vscode/build.mjs');
  await buildVscode({ tests: false });
}
// ---- end VS Code extension ---------------------------------------------------------------------------------------
