import type { Command } from 'commander';
import { registerApply } from './apply-command';
import { registerGet } from './get-command';

/** Every skiff command, in the order `skiff --help` lists them. */
export function registerCommands(program: Command): void {
  registerApply(program);
  registerGet(program);
}
