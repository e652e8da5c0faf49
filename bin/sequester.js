#!/usr/bin/env node

/**
 * The `sequester` command. It runs the built CLI (dist/cli.js: one JavaScript bundle that `npm run
 * build` writes, and `npm ci` and `npm pack` through the `prepare` script), so an installed package
 * needs neither TypeScript nor the devDependencies.
 *
 * In a clone, it falls back to the TypeScript sources (through @swc-node/register, a devDependency)
 * when the bundle is missing (`npm ci --ignore-scripts`) or older than one of the files it was built
 * from (dist/cli-inputs.json, not packed): an edited source is always what runs, never a stale bundle.
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'dist', 'cli.js');

// Node 20 is supported by this project; the SDK's notice about its future Node 22 floor would break the
// promise that an error is one line on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED =
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? 'true';

function bundleIsCurrent() {
  let built;
  try {
    built = fs.statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  let inputs;
  try {
    inputs = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'cli-inputs.json'), 'utf8'));
  } catch {
    return true; // an installed package: no sources to compare with
  }
  return inputs.every((f) => {
    try {
      return fs.statSync(path.join(root, f)).mtimeMs <= built;
    } catch {
      return false; // a source the bundle was built from is gone
    }
  });
}

function load() {
  if (bundleIsCurrent()) return require(bundle);
  // Compile with this project's tsconfig wherever the command is run from.
  process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT ?? path.join(root, 'tsconfig.json');
  require('@swc-node/register');
  return require('../cli/main.ts');
}

load()
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
