import type { Command } from 'commander';
import type { KubeObject } from '../../kinds/meta';
import { cpuText, memoryText, nodeUsage, priceText } from '../node-usage';
import { alignColumns } from '../table-printer';
import { printLines, sessionOf } from './command-session';

export function registerNodes(program: Command): void {
  program
    .command('nodes')
    .description('Nodes with instance type, capacity type, zone, $/hour, pods and CPU/memory utilisation')
    .option('-l, --selector <selector>', 'only nodes matching this label selector')
    .addHelpText('after', '\nExample:\n  skiff nodes')
    .action(async (options: { selector?: string }, command: Command) => {
      const { client } = sessionOf(command);
      const [nodes, claims, pods] = await Promise.all([
        client.list<KubeObject>({ apiVersion: 'v1', plural: 'nodes' }, { labelSelector: options.selector }),
        client.list<KubeObject>({ apiVersion: 'skiff.dev/v1alpha1', plural: 'nodeclaims' }),
        client.list<KubeObject>({ apiVersion: 'v1', plural: 'pods' }),
      ]);
      const usage = nodeUsage(nodes.items, claims.items, pods.items);
      if (usage.length === 0) {
        process.stderr.write('No nodes found\n');
        return;
      }
      const total = usage.reduce((sum, node) => sum + (node.usdPerHour ?? 0), 0);
      printLines([
        ...alignColumns([
          ['NAME', 'STATUS', 'TYPE', 'CAPACITY', 'ZONE', '$/HOUR', 'PODS', 'CPU', 'MEMORY'],
          ...usage.map((n) => [
            n.name,
            n.status,
            n.instanceType || '-',
            n.capacityType || '-',
            n.zone || '-',
            priceText(n.usdPerHour),
            String(n.pods),
            cpuText(n.cpu),
            memoryText(n.memory),
          ]),
        ]),
        `${usage.length} node${usage.length === 1 ? '' : 's'}, ${priceText(total)}/hour`,
      ]);
    });
}
