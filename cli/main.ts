import { Command, CommanderError } from 'commander';
import { version } from '../package.json';
import { registerActivityCommand } from './commands/activity';
import { registerEvidenceCommands } from './commands/evidence';
import { registerIamCommands } from './commands/iam';
import { registerIntakeCommand } from './commands/intake';
import { registerOnCallCommands } from './commands/on-call';
import { registerReachCommand } from './commands/reach';
import { REPORT_VERSION_FLAG, registerReportCommand } from './commands/report';
import { type CliContext, createContext, parseGlobalOptions } from './context';
import { debugDetail, describeError, EXIT, EXIT_CODES_HELP, exitCodeOf } from './errors';

/** Gives each command the context built from the global options (parsed once, lazily). */
export type ContextOf = (cmd: Command) => CliContext;

export function buildProgram(): Command {
  const program = new Command('sequester')
    .description('Contain compromised EC2 instances and review the evidence Sequester preserved.')
    .version(version, '--version', 'print the version')
    .option('--json', 'print one JSON document on stdout instead of tables')
    .option('--endpoint-url <url>', 'send AWS calls to this endpoint (a local emulator such as moto)')
    .option('--profile <name>', 'AWS profile for credentials and region (default: the standard chain)')
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile region)')
    .option('--debug', 'show stack traces and causes of errors')
    .addHelpText('after', EXIT_CODES_HELP)
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`sequester: ${str}`) });
  const contexts = new WeakMap<Command, CliContext>();
  const contextOf: ContextOf = (cmd) => {
    const existing = contexts.get(cmd);
    if (existing !== undefined) return existing;
    const ctx = createContext(parseGlobalOptions(cmd.optsWithGlobals()));
    contexts.set(cmd, ctx);
    return ctx;
  };
  registerOnCallCommands(program, contextOf);
  registerEvidenceCommands(program, contextOf);
  registerIntakeCommand(program, contextOf);
  registerActivityCommand(program, contextOf);
  registerIamCommands(program, contextOf);
  registerReachCommand(program, contextOf);
  registerReportCommand(program, contextOf);
  // Subcommands inherit exitOverride and the output format from .command(); help text is per command.
  const inherit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.addHelpText('after', EXIT_CODES_HELP);
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs the CLI and returns the exit code (never throws, never calls process.exit). */
export async function main(argv: ReadonlyArray<string>): Promise<number> {
  const debug = argv.includes('--debug');
  if (debug) process.setSourceMapsEnabled(true);
  const program = buildProgram();
  try {
    await program.parseAsync(reportVersionFlag(argv));
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors; any other parse error (missing option, unknown command) is input.
      if (err.exitCode === 0) return EXIT.ok;
      return EXIT.badInput;
    }
    process.stderr.write(`sequester: error: ${describeError(err)}\n`);
    if (debug) process.stderr.write(`${debugDetail(err)}\n`);
    return exitCodeOf(err);
  }
}

/**
 * `sequester report ... --version <id>` names a report version, while `--version` of the program prints
 * the tool's; commander gives a program option precedence wherever it appears, so after the `report`
 * command the flag is handed to it under its internal name.
 */
export function reportVersionFlag(argv: ReadonlyArray<string>): string[] {
  const at = argv.indexOf('report', 2);
  return argv.map((a, i) => {
    if (at < 0 || i <= at) return a;
    if (a === '--version') return REPORT_VERSION_FLAG;
    return a.startsWith('--version=') ? `${REPORT_VERSION_FLAG}=${a.slice('--version='.length)}` : a;
  });
}
