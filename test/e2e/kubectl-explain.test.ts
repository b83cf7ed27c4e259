import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TYPE_DESCRIPTIONS } from '../../lib/api/openapi/descriptions';
import type { FieldDescription } from '../../lib/api/openapi/descriptions/type-description';
import { kubectlSession } from '../support/kubectl-session';
import { KUBECTL, kubectlUnavailable } from './watch-clients/watch-client-tools';

const unavailable = kubectlUnavailable();
const describeWithKubectl = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`kubectl explain tests skipped: ${unavailable}`);

/** A field's description, as the OpenAPI document serves it. */
function described(type: string, field: string): string {
  const entry: FieldDescription = TYPE_DESCRIPTIONS[type].fields[field];
  return typeof entry === 'string' ? entry : entry.description;
}

/** kubectl wraps descriptions at 80 columns and indents them: compare words only. */
const words = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The FIELDS kubectl explain lists, by name. */
const fieldNames = (output: string) =>
  [...output.split('FIELDS:')[1].matchAll(/^ {2}(\w+)\t/gm)].map((match) => match[1]).sort();

const UNKNOWN_FIELDS_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: typo
spec:
  replicas: 1
  replica: 2
  selector:
    matchLabels: {app: typo}
  template:
    metadata:
      labels: {app: typo}
    spec:
      containers:
      - name: web
        image: nginx
        imagePullPolicyy: Always
`;

/**
 * kubectl 1.32 reads Skiff's OpenAPI v3 documents: `explain` prints the descriptions of
 * lib/api/openapi/descriptions for kube's kinds and Skiff's own, and `--validate=strict` finds the
 * `fieldValidation` parameter there, so the server refuses unknown fields, naming each.
 */
describeWithKubectl('kubectl explain and validation against the OpenAPI documents', () => {
  const session = kubectlSession('kubectl-explain');
  const { args, kubectl } = session;

  it('explains deployment.spec.strategy: its description and the fields rollingUpdate and type', () => {
    const output = kubectl('explain', 'deployment.spec.strategy');
    expect(output).toMatch(/^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
    expect(words(output)).toContain(words(described('DeploymentSpec', 'strategy')));
    expect(fieldNames(output)).toEqual(['rollingUpdate', 'type']);
    expect(words(output)).toContain(words(described('DeploymentStrategy', 'type')));
    expect(words(kubectl('explain', 'deployment.spec.strategy.rollingUpdate.maxSurge'))).toContain(
      words(described('RollingUpdateDeployment', 'maxSurge')),
    );
  });

  it('explains pods.spec.containers.livenessProbe and its fields', () => {
    const output = kubectl('explain', 'pods.spec.containers.livenessProbe');
    expect(words(output)).toContain(words(described('Container', 'livenessProbe')));
    expect(fieldNames(output)).toEqual(
      expect.arrayContaining(['exec', 'failureThreshold', 'grpc', 'httpGet', 'periodSeconds', 'tcpSocket']),
    );
    expect(words(output)).toContain(words(described('Probe', 'periodSeconds')));
  });

  it("explains Skiff's own kind: nodepools.spec", () => {
    const output = kubectl('explain', 'nodepools.spec');
    expect(output).toMatch(/^GROUP:\s+skiff\.dev\nKIND:\s+NodePool\nVERSION:\s+v1alpha1\n/);
    expect(words(output)).toContain(words(described('NodePool', 'spec')));
    expect(fieldNames(output)).toEqual(['disruption', 'limits', 'template', 'warm', 'weight']);
    expect(words(output)).toContain(words(described('NodePoolSpec', 'warm')));
  });

  it('marks apiVersion and kind optional, as kube does (TypeMeta is omitempty), and required fields required', () => {
    const output = kubectl('explain', 'deployment');
    expect(output).toMatch(/^ {2}apiVersion\t<string>$/m);
    expect(output).toMatch(/^ {2}kind\t<string>$/m);
    expect(kubectl('explain', 'deployment.spec')).toMatch(/^ {2}selector\t<\w+> -required-$/m);
  });

  it('explains a kind itself with its description', () => {
    expect(words(kubectl('explain', 'nodeclaims'))).toContain(words(TYPE_DESCRIPTIONS.NodeClaim.description));
  });

  it('refuses a manifest with unknown fields under --validate=strict, naming each, and creates nothing', () => {
    const manifest = join(session.workDir, 'typo.yaml');
    writeFileSync(manifest, UNKNOWN_FIELDS_MANIFEST);
    const result = spawnSync(
      KUBECTL,
      args('apply', '--validate=strict', '--dry-run=server', '-f', manifest),
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error from server (BadRequest)');
    expect(result.stderr).toContain('strict decoding error');
    expect(result.stderr).toContain('unknown field "spec.replica"');
    expect(result.stderr).toContain('unknown field "spec.template.spec.containers[0].imagePullPolicyy"');

    const warned = spawnSync(KUBECTL, args('apply', '--validate=warn', '--dry-run=server', '-f', manifest), {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(warned.status).toBe(0);
    expect(warned.stdout).toBe('deployment.apps/typo created (server dry run)\n');
    expect(warned.stderr).toContain('Warning: unknown field "spec.replica"');
    expect(kubectl('get', 'deployments', '-o', 'name')).toBe('');
  });
});
