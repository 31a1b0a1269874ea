/**
 * Layer rules for src/ (arrows point down only):
 *
 *   cli/        program assembly, context, output, errors -> exit codes
 *   commands/   one file per command
 *   workflows/  integration logic
 *   webhooks/   webhook receiver (server, receiver, queue, journal, lock); the push is injected by the command
 *   tracker/    Tracker client
 *   apriora/    Apriora client
 *   http/       the HTTP wrapper
 *   store/      profiles + secrets
 *   lib/        tiny generic utilities; imports nothing of the product
 *   sandbox/    local emulators of both APIs (used by sandbox commands and the demo, through its index only)
 *   demo/       the demo script (may import anything)
 *   errors.ts   typed errors (anyone may import)
 *
 * Type-only imports count (tsPreCompilationDeps: true): they are edges of the design even though
 * the compiler erases them. Dynamic import() counts too.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'This module is part of a dependency cycle (type-only and dynamic imports included). Break it by moving the shared part down a layer.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that cannot be resolved to a file. Also keeps the layer rules from silently passing when resolution breaks.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'lower-layers-not-to-cli-or-commands',
      severity: 'error',
      comment: 'Only the CLI layer (src/cli, src/commands) and the demo may depend on src/cli and src/commands.',
      from: { path: '^src/(tracker|apriora|http|store|workflows|webhooks|lib)/' },
      to: { path: '^src/(cli|commands)/' },
    },
    {
      name: 'lower-layers-not-to-workflows',
      severity: 'error',
      comment: 'API clients, HTTP, store, lib and the webhook receiver sit below src/workflows and must not depend on it.',
      from: { path: '^src/(tracker|apriora|http|store|lib|webhooks)/' },
      to: { path: '^src/workflows/' },
    },
    {
      name: 'infrastructure-not-to-api-clients',
      severity: 'error',
      comment: 'src/http, src/store and src/lib are generic infrastructure and must not depend on the Tracker or Apriora clients.',
      from: { path: '^src/(http|store|lib)/' },
      to: { path: '^src/(tracker|apriora)/' },
    },
    {
      name: 'lib-imports-nothing-of-the-product',
      severity: 'error',
      comment: 'src/lib holds tiny generic utilities; it may import node built-ins, packages and other src/lib modules only.',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/lib/' },
    },
    {
      name: 'errors-imports-nothing-of-the-product',
      severity: 'error',
      comment: 'Anyone may import src/errors.ts, so it imports no other module of src/ (anything else would open a cycle).',
      from: { path: '^src/errors[.]ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'sandbox-only-for-sandbox-commands-and-demo',
      severity: 'error',
      comment: 'Only src/commands/sandbox/ and src/demo/ may use the sandbox (the emulators are not part of the product).',
      from: { path: '^src/', pathNot: '^src/(sandbox|commands/sandbox|demo)/' },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'sandbox-only-through-index',
      severity: 'error',
      comment: 'src/commands/sandbox/ and src/demo/ use the sandbox through src/sandbox/index.ts only.',
      from: { path: '^src/(commands/sandbox|demo)/' },
      to: { path: '^src/sandbox/', pathNot: '^src/sandbox/index[.]ts$' },
    },
    {
      name: 'sandbox-imports-only-errors',
      severity: 'error',
      comment: 'The sandbox emulates the remote APIs independently of the product code; of src/ it may import src/errors.ts only.',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/', pathNot: '^src/(sandbox/|errors[.]ts$)' },
    },
    {
      name: 'command-definitions-load-no-implementation',
      severity: 'error',
      comment:
        'A command file is loaded to show its --help: it imports clients, stores, workflows and the sandbox only inside its run function (dynamic import) or as types.',
      from: { path: '^src/commands/' },
      to: { path: '^src/(tracker|apriora|http|store|workflows|webhooks|sandbox|lib)/', dynamic: false, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'command-definitions-import-little-of-cli',
      severity: 'error',
      comment: 'Of src/cli, a command file statically imports only what its definition needs (command.ts, local-sandbox.ts); the rest inside run.',
      from: { path: '^src/commands/' },
      to: { path: '^src/cli/', pathNot: '^src/cli/(command|local-sandbox)[.]ts$', dynamic: false, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'webhooks-only-through-index',
      severity: 'error',
      comment: 'Outside src/webhooks, the webhook receiver is used through src/webhooks/index.ts only.',
      from: { path: '^src/', pathNot: '^src/webhooks/' },
      to: { path: '^src/webhooks/', pathNot: '^src/webhooks/index[.]ts$' },
    },
    {
      name: 'registry-only-from-main',
      severity: 'error',
      comment: 'The command registry src/cli/registry.ts is imported by the entry point src/cli/main.ts only.',
      from: { path: '^src/', pathNot: '^src/cli/main[.]ts$' },
      to: { path: '^src/cli/registry[.]ts$' },
    },
    {
      name: 'program-only-from-main',
      severity: 'error',
      comment: 'The program assembly src/cli/program.ts is imported by the entry point src/cli/main.ts only.',
      from: { path: '^src/', pathNot: '^src/cli/main[.]ts$' },
      to: { path: '^src/cli/program[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['(^|/)dist/', '(^|/)coverage/'] },
    moduleSystems: ['es6', 'cjs'],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
