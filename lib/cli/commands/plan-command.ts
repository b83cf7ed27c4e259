import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { SchedulingPlan } from '../../scheduling/runner/dry-run';
import { CliError } from '../cli-error';
import { planLines } from '../plan-lines';
import { printLines, sessionOf } from './command-session';

/** Skiff's dry-run path (lib/api/api-handler.ts), beside the skiff.dev kinds. */
export const PLAN_PATH = '/apis/skiff.dev/v1alpha1/plan';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description(
      "The scheduler's dry run: claims it would launch or delete, pods it would bind, the $/hour change",
    )
    .option('-o, --output <format>', 'yaml or json: the SchedulingPlan as the server sends it')
    .addHelpText('after', '\nExample:\n  skiff plan')
    .action(async (options: { output?: string }, command: Command) => {
      const { client } = sessionOf(command);
      const plan = await client.request<SchedulingPlan>('GET', PLAN_PATH);
      if (options.output === 'json') process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
      else if (options.output === 'yaml') process.stdout.write(stringify(plan));
      else if (options.output !== undefined)
        throw new CliError(`plan prints yaml or json, not "${options.output}"`);
      else printLines(planLines(plan));
    });
}
