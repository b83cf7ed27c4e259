import type { Command } from 'commander';
import { registerApply } from './apply-command';
import { registerConfig } from './config-command';
import { registerDelete } from './delete-command';
import { registerDescribe } from './describe-command';
import { registerEvents } from './events-command';
import { registerGet } from './get-command';
import { registerKubeconfig } from './kubeconfig-command';
import { registerLogs } from './logs-command';
import { registerNodes } from './nodes-command';
import { registerPlan } from './plan-command';
import { registerRollout } from './rollout-command';
import { registerScale } from './scale-command';
import { registerToken } from './token-command';

/** Every skiff command, in the order `skiff --help` lists them. */
export function registerCommands(program: Command): void {
  registerApply(program);
  registerGet(program);
  registerDescribe(program);
  registerDelete(program);
  registerLogs(program);
  registerRollout(program);
  registerScale(program);
  registerPlan(program);
  registerNodes(program);
  registerEvents(program);
  registerConfig(program);
  registerKubeconfig(program);
  registerToken(program);
}
