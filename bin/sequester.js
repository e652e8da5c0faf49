#!/usr/bin/env node

/**
 * The `sequester` command. It runs the TypeScript sources through @swc-node/register (installed by
 * `npm ci`), so there is no build step to forget: a fresh clone works after `npm ci`.
 */
const path = require('node:path');

// Compile with this project's tsconfig wherever the command is run from.
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT ?? path.join(__dirname, '..', 'tsconfig.json');
// Node 20 is supported by this project; the SDK's notice about its future Node 22 floor would break the
// promise that an error is one line on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED =
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? 'true';
require('@swc-node/register');
require('../cli/main.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
