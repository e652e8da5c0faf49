import type { Command } from 'commander';
import type { ContextOf } from '../main';

export function registerIntakeCommand(_program: Command, _contextOf: ContextOf): void {}
