import { execFileSync, spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { KUBECTL, kubectlUnavailable } from './watch-clients/watch-client-tools';
import { aKubeconfigServer } from './real-tools/kubeconfig-server';

const unavailable = kubectlUnavailable();
const describeWithKubectl = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`kubectl server-side apply tests skipped: ${unavailable}`);

const deployment = (replicas: number, image = 'nginx:1.27') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] },
    },
  },
});

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  fieldsV1: Record<string, unknown>;
}

/**
 * kubectl 1.32's server-side apply against `npm start`: `apply --server-side` creates and updates
 * as the `kubectl` manager, a second manager's conflicting apply is refused with kube's conflict
 * error, `--force-conflicts` takes the field over, and `get --show-managed-fields` shows who owns what.
 */
describeWithKubectl('kubectl apply --server-side', () => {
  const { kubectlArgs: args } = aKubeconfigServer('skiff-kubectl-ssa-');
  const kubectl = (...rest: string[]) =>
    execFileSync(KUBECTL, args(rest), { encoding: 'utf8', timeout: 30_000 });
  const applyServerSide = (object: unknown, ...flags: string[]) =>
    spawnSync(KUBECTL, args(['apply', '--server-side', ...flags, '-f', '-']), {
      encoding: 'utf8',
      timeout: 30_000,
      input: JSON.stringify(object),
    });
  const managedFields = (): ManagedFieldsEntry[] =>
    (
      parse(kubectl('get', 'deployment', 'web', '-o', 'yaml', '--show-managed-fields')) as {
        metadata: { managedFields: ManagedFieldsEntry[] };
      }
    ).metadata.managedFields;

  it('creates, then re-applies unchanged', () => {
    const created = applyServerSide(deployment(2));
    expect([created.status, created.stdout, created.stderr]).toEqual([
      0,
      'deployment.apps/web serverside-applied\n',
      '',
    ]);
    const again = applyServerSide(deployment(2));
    expect([again.status, again.stdout]).toEqual([0, 'deployment.apps/web serverside-applied\n']);
    expect(managedFields().map((entry) => `${entry.manager}/${entry.operation}`)).toEqual(['kubectl/Apply']);
  });

  it("refuses another manager's change to replicas with kube's conflict, and --force-conflicts takes them", () => {
    const conflict = applyServerSide(deployment(5), '--field-manager=other');
    expect(conflict.status).not.toBe(0);
    expect(conflict.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
    );
    expect(kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('2');

    const forced = applyServerSide(deployment(5), '--field-manager=other', '--force-conflicts');
    expect([forced.status, forced.stderr]).toEqual([0, '']);
    expect(kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('5');
    const entries = managedFields();
    expect(entries.map((entry) => `${entry.manager}/${entry.operation}`).sort()).toEqual([
      'kubectl/Apply',
      'other/Apply',
    ]);
    const spec = (manager: string) =>
      entries.find((entry) => entry.manager === manager)?.fieldsV1['f:spec'] as Record<string, unknown>;
    expect(spec('other')['f:replicas']).toEqual({});
    expect(spec('kubectl')['f:replicas']).toBeUndefined();
    expect(spec('kubectl')['f:template']).toMatchObject({
      'f:spec': {
        'f:containers': {
          'k:{"name":"web"}': {
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
        },
      },
    });
  });

  it('hides managedFields unless asked, and records kubectl edits as Update entries', () => {
    expect(kubectl('get', 'deployment', 'web', '-o', 'yaml')).not.toContain('managedFields');
    kubectl('label', 'deployment', 'web', 'tier=frontend');
    expect(managedFields().map((entry) => `${entry.manager}/${entry.operation}`)).toContain(
      'kubectl-label/Update',
    );
  });

  it('keeps client-side apply working next to it', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'csa' }, data: { a: '1' } };
    const apply = (object: unknown) =>
      execFileSync(KUBECTL, args(['apply', '-f', '-']), {
        encoding: 'utf8',
        timeout: 30_000,
        input: JSON.stringify(object),
      });
    expect(apply(configMap)).toBe('configmap/csa created\n');
    expect(apply({ ...configMap, data: { b: '2' } })).toBe('configmap/csa configured\n');
    expect(kubectl('get', 'configmap', 'csa', '-o', 'jsonpath={.data}')).toBe('{"b":"2"}');
    const upgraded = applyServerSide({ ...configMap, data: { b: '3' } });
    expect([upgraded.status, upgraded.stderr]).toEqual([0, '']);
    expect(kubectl('get', 'configmap', 'csa', '-o', 'jsonpath={.data}')).toBe('{"b":"3"}');
    // kubectl then moves client-side apply's fields to its Apply entry (a JSON patch of managedFields).
    const csa = parse(kubectl('get', 'configmap', 'csa', '-o', 'yaml', '--show-managed-fields')) as {
      metadata: { managedFields: ManagedFieldsEntry[]; annotations: Record<string, string> };
    };
    // (kubectl also applies the annotation itself as kubectl-last-applied, as against kube.)
    const managers = csa.metadata.managedFields.map((entry) => `${entry.manager}/${entry.operation}`);
    expect(managers.sort()).toEqual(['kubectl-last-applied/Apply', 'kubectl/Apply']);
    expect(
      JSON.parse(csa.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).data,
    ).toEqual({
      b: '3',
    });
    expect(apply({ ...configMap, data: { c: '4' } })).toBe('configmap/csa configured\n');
    expect(kubectl('get', 'configmap', 'csa', '-o', 'jsonpath={.data}')).toBe('{"c":"4"}');
  });
});
