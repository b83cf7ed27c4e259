/**
 * The StaticSite operator: a site's files, held in a StaticSite object, served by nginx. Its sync
 * hook turns each StaticSite into a ConfigMap of the files, a Deployment of web servers mounting
 * it and a Service in front, and reports the Deployment's progress as the site's status.
 *
 * Run it locally: `npm start -- --operators examples/operators/static-site`, then
 * `kubectl apply -f examples/customresourcedefinition.yaml -f examples/staticsite.yaml`.
 * Deploy it: infra/app.ts with `-c exampleOperators=true` (examples/operators/static-site/stack.ts).
 * The contract: docs/operators.md.
 */
import { createHash } from 'node:crypto';
import type { SyncRequest, SyncResponse } from '../../../lib/operators/operator-spec';

interface StaticSite {
  metadata: { name: string; namespace: string };
  spec: { image: string; replicas: number; files: Record<string, string>; hostname?: string };
}

interface DeploymentStatus {
  replicas?: number;
  readyReplicas?: number;
}

/** Desired children and status of one StaticSite. Pure: the same site always answers the same. */
export function sync(request: SyncRequest): SyncResponse {
  const site = request.parent as unknown as StaticSite;
  const name = site.metadata.name;
  const labels = { 'app.kubernetes.io/name': 'static-site', 'app.kubernetes.io/instance': name };
  // Pods roll when the files change: their template carries the files' digest.
  const digest = createHash('sha256').update(JSON.stringify(site.spec.files)).digest('hex').slice(0, 16);
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${name}-files`, labels },
    data: site.spec.files,
  };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: site.spec.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: { 'web.skiff.dev/files-digest': digest } },
        spec: {
          containers: [
            {
              name: 'web',
              image: site.spec.image,
              ports: [{ name: 'http', containerPort: 80 }],
              volumeMounts: [{ name: 'files', mountPath: '/usr/share/nginx/html', readOnly: true }],
            },
          ],
          volumes: [{ name: 'files', configMap: { name: `${name}-files` } }],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels },
    spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  const observed = request.children['Deployment.apps/v1']?.[name] as
    { status?: DeploymentStatus } | undefined;
  return {
    children: [configMap, deployment, service],
    status: {
      replicas: observed?.status?.replicas ?? 0,
      readyReplicas: observed?.status?.readyReplicas ?? 0,
      url: `http://${site.spec.hostname ?? `${name}.${site.metadata.namespace}.svc.cluster.local`}/`,
    },
  };
}

/** The operator, as `npm start -- --operators` and the CDK construct load it. */
export default {
  name: 'static-site',
  parentResource: { apiVersion: 'web.skiff.dev/v1alpha1', resource: 'staticsites' },
  childResources: [
    { apiVersion: 'v1', resource: 'configmaps', updateStrategy: { method: 'InPlace' } },
    { apiVersion: 'apps/v1', resource: 'deployments', updateStrategy: { method: 'InPlace' } },
    { apiVersion: 'v1', resource: 'services', updateStrategy: { method: 'InPlace' } },
  ],
  hooks: { sync },
};
