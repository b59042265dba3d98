// Layer rules: the README's Layout table, enforced. `npm run lint:layers` runs them (scripts/check-layers.ts),
// and CI runs that after lint. Each rule names the layer it guards; a new import that crosses one fails CI.
// Paths are relative to the repo root. A layer's rule lists what it MAY import; anything else is forbidden.

/** `^shared/(a|b)/` — the shared layers a rule allows. */
const shared = (...layers) => `^shared/(${layers.join('|')})/`;
/** The packages a rule allows, by resolved path (scoped packages end with a slash). */
const packages = (...names) => `(^|/)node_modules/(${names.join('|')})`;

/** Everything except production code: tests, benchmarks and scripts import freely. */
const NOT_PRODUCTION = '^(test|bench|scripts)/';

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment:
        'shared/domain is pure logic: it imports other domain modules and node:crypto (hashing) only. ' +
        'No SDK, no aws-lambda, no ports, no I/O.',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { pathNot: [shared('domain'), '^(node:)?crypto$'] },
    },
    {
      name: 'ports-import-only-domain',
      comment: 'shared/ports are narrow interfaces over domain types: they import domain only.',
      severity: 'error',
      from: { path: '^shared/ports/' },
      to: { pathNot: [shared('domain')] },
    },
    {
      name: 'adapters-import-domain-ports-and-their-sdks',
      comment:
        'shared/adapters put SDK code behind the ports: they import domain, ports, other adapters and their ' +
        'SDKs (@aws-sdk/*, ogg-opus-decoder, @jsquash/webp, fast-png). Never use cases, decoders, batch, config or observability.',
      severity: 'error',
      from: { path: '^shared/adapters/' },
      to: {
        pathNot: [
          shared('domain', 'ports', 'adapters'),
          packages('@aws-sdk/', 'ogg-opus-decoder/', '@jsquash/', 'fast-png/'),
        ],
      },
    },
    {
      name: 'use-cases-import-domain-ports-and-use-cases',
      comment:
        'shared/use-cases hold application logic over ports: they import domain, ports and other use cases. ' +
        'Never adapters, SDKs or any package: those are injected.',
      severity: 'error',
      from: { path: '^shared/use-cases/' },
      to: { pathNot: [shared('domain', 'ports', 'use-cases')] },
    },
    {
      name: 'decoders-import-domain-and-zod',
      comment:
        'shared/decoders turn events into domain types with zod: they import domain, decoders and zod.',
      severity: 'error',
      from: { path: '^shared/decoders/' },
      to: { pathNot: [shared('domain', 'decoders'), packages('zod/')] },
    },
    {
      name: 'batch-imports-domain-and-ports',
      comment:
        'shared/batch is partial batch processing for the handlers: it imports domain, ports, batch, and the ' +
        'aws-lambda SQS event types (types only). Never adapters.',
      severity: 'error',
      from: { path: '^shared/batch/' },
      to: { pathNot: [shared('domain', 'ports', 'batch'), packages('@types/aws-lambda/')] },
    },
    {
      name: 'batch-imports-aws-lambda-types-only',
      comment: 'aws-lambda is a types package: shared/batch may use its types, never a runtime import.',
      severity: 'error',
      from: { path: '^shared/batch/' },
      to: { path: packages('@types/aws-lambda/'), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'config-imports-config-and-zod',
      comment:
        'shared/config reads env vars with zod, and is the one shared layer infra/ may import: it imports ' +
        'config and zod only, so infra never pulls runtime code in through it.',
      severity: 'error',
      from: { path: '^shared/config/' },
      to: { pathNot: [shared('config'), packages('zod/')] },
    },
    {
      name: 'observability-imports-domain-ports-config-and-powertools',
      comment:
        'shared/observability implements the Telemetry port with Powertools: it imports domain (masking), ' +
        'ports, config and @aws-lambda-powertools/*.',
      severity: 'error',
      from: { path: '^shared/observability/' },
      to: {
        pathNot: [shared('domain', 'ports', 'config', 'observability'), packages('@aws-lambda-powertools/')],
      },
    },
    {
      name: 'doctor-imports-its-own-modules-shared-code-and-the-deploy-config',
      comment:
        'doctor/ checks a deployed stack (npm run doctor; scripts/doctor.ts builds its clients): it imports ' +
        'doctor/, shared domain, adapters and config, the deployment config and Connect names of infra/ ' +
        '(infra/config, infra/constructs/guide-names.ts: no CDK), @aws-sdk/* and node:util. Never CDK, ' +
        'functions, tests or scripts.',
      severity: 'error',
      from: { path: '^doctor/' },
      to: {
        pathNot: [
          '^doctor/',
          shared('domain', 'adapters', 'config'),
          '^infra/config/',
          '^infra/constructs/guide-names\\.ts$',
          packages('@aws-sdk/', 'zod/'),
          '^(node:)?(util|fs)$',
        ],
      },
    },
    {
      name: 'shared-never-imports-entries-infra-or-tests',
      comment:
        'shared/ sits below every entry point: it never imports functions/, infra/, doctor/, test/, bench/ or scripts/.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(functions|infra|doctor|test|bench|scripts)/' },
    },
    {
      name: 'handlers-take-their-clients-injected',
      comment:
        'functions/<name>/handler.ts exports a pure makeHandler(deps): it imports shared use cases, ports, ' +
        'decoders, domain and batch, never adapters or an SDK. Only index.ts builds clients.',
      severity: 'error',
      from: { path: '^functions/[^/]+/handler\\.ts$' },
      to: { path: [shared('adapters', 'observability', 'config'), packages('@aws-sdk/')] },
    },
    {
      name: 'functions-are-separate-bundles',
      comment:
        'Each functions/<name>/ is its own bundle: it imports shared/ and its own folder, never another function.',
      severity: 'error',
      from: { path: '^functions/([^/]+)/' },
      to: { path: '^functions/', pathNot: '^functions/$1/' },
    },
    {
      name: 'functions-never-import-infra-or-tests',
      comment: 'Entry points import shared/ and packages; never infra/, doctor/, test/, bench/ or scripts/.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(infra|doctor|test|bench|scripts)/' },
    },
    {
      name: 'infra-imports-only-config-from-shared',
      comment:
        'infra/ is the CDK app: of shared/ it imports only shared/config, so no runtime module (and none of ' +
        'its dependencies) is pulled into the synth, and every constant both sides need lives in config.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(shared|functions|doctor|test|bench|scripts)/', pathNot: shared('config') },
    },
    {
      name: 'production-code-uses-no-dev-dependencies',
      comment:
        'shared/ and functions/ are bundled into Lambda: they import runtime dependencies only (a dev ' +
        'dependency may be imported for its types).',
      severity: 'error',
      from: { path: '^(shared|functions)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere in production code.',
      severity: 'error',
      from: { pathNot: NOT_PRODUCTION },
      to: { circular: true },
    },
    {
      name: 'no-orphans-in-shared',
      comment: 'A shared/ module that no function or other shared module imports is dead code: delete it.',
      severity: 'error',
      from: { orphan: true, path: '^shared/' },
      to: {},
    },
    {
      name: 'no-dead-code-in-shared',
      comment:
        'Every shared/ module is reachable from a function entry (functions/<name>/index.ts, the lazy ' +
        'media chunk) or from the CDK app: one only tests import is dead code.',
      severity: 'error',
      from: { path: '^(functions/[^/]+/(index\\.ts|media\\.mts)|infra/app\\.ts)$' },
      to: { path: '^shared/', reachable: false },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves to a file or an installed package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules may be a symlink (git worktrees share one): keep resolved paths under ./node_modules.
    preserveSymlinks: true,
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
