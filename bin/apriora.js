#!/usr/bin/env node
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write('Error: apriora is not built here (no dist/)\nTry: npm ci && npm run build\n');
  process.exit(1);
}
await cli.main(process.argv);
