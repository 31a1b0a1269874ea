#!/usr/bin/env node
enableCompileCache();
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write('Error: apriora is not built here (no dist/)\nTry: npm ci && npm run build\n');
  process.exit(1);
}
await cli.main(process.argv);

/**
 * Node 22.1+ keeps the compiled code of the modules loaded after this call, so that later runs skip compiling them
 * (NODE_DISABLE_COMPILE_CACHE=1 turns it off). The cache goes to the user's own cache directory, never to a shared
 * temp dir where another user could plant one. Builtins are fetched without importing them: on Node 20, where there is
 * no such cache, that costs nothing.
 */
function enableCompileCache() {
  const nodeModule = process.getBuiltinModule?.('node:module');
  if (typeof nodeModule?.enableCompileCache !== 'function') return;
  const { homedir } = process.getBuiltinModule('node:os');
  const { isAbsolute, join } = process.getBuiltinModule('node:path');
  const xdg = process.env.XDG_CACHE_HOME;
  try {
    nodeModule.enableCompileCache(join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'apriora', 'node-compile-cache'));
  } catch {
    // A cache that cannot be written only makes start-up slower.
  }
}
