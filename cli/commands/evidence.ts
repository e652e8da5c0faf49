import type { Command } from 'commander';
import type { ContextOf } from '../main';

export function registerEvidenceCommands(_program: Command, _contextOf: ContextOf): void {}
