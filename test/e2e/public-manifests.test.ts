import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PROJECT_ROOT } from '../support/engines/project-root';
import { spawnLocalServer, type LocalServerProcess } from '../support/spawn-local-server';
import { describeRun, itWithTool, KUBECTL, kubectlUnavailable, runCommand } from './real-tools/tools';
import { writeKubeconfig } from './watch-clients/watch-client-tools';

/**
 * The public manifests in ../shared/data/manifests (the guestbook example, the Kubernetes
 * documentation's examples, ingress-nginx's Helm-rendered install; SOURCES.md names each one's
 * origin), applied unmodified with `kubectl apply -f FILE`, then again with `--server-side`. Every
 * object must be accepted, except those of the kinds and versions docs/api.md lists as not served,
 * which kubectl must refuse naming the kind and version, as it does against kube-apiserver.
 */

const MANIFESTS = join(PROJECT_ROOT, '..', 'shared', 'data', 'manifests');

/**
 * docs/api.md's "Not served" list, as apiVersion + kind. Kube 1.32 does not serve the two removed
 * versions either (apps/v1beta2 went in 1.16, batch/v1beta1 CronJob in 1.25): those files are the
 * old versions SOURCES.md names, and kube refuses them the same way.
 */
const NOT_SERVED = new Set([
  'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration',
  'networking.k8s.io/v1 IngressClass',
  'apps/v1beta2 Deployment',
  'batch/v1beta1 CronJob',
]);

const MODES = {
  'client-side': { flags: [], verbs: 'created|configured|unchanged' },
  'server-side': { flags: ['--server-side'], verbs: 'serverside-applied' },
} as const;
type Mode = keyof typeof MODES;

interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(entry) ? [path] : [];
    })
    .sort();
}

function objectsOf(file: string): ManifestObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => document.toJS() as ManifestObject | null)
    .filter((object): object is ManifestObject => object !== null);
}

const served = (object: ManifestObject) => !NOT_SERVED.has(`${object.apiVersion} ${object.kind}`);

/** kubectl's `<resource>[.<group>]/<name>` for an object: its lowercase plural, as discovery says. */
type ResourceNames = Map<string, string>;

async function discoverResources(baseUrl: string): Promise<ResourceNames> {
  const names: ResourceNames = new Map();
  const groups = (await (await fetch(`${baseUrl}/apis`)).json()) as {
    groups: { preferredVersion: { groupVersion: string }; versions: { groupVersion: string }[] }[];
  };
  const groupVersions = [
    'v1',
    ...groups.groups.flatMap((group) => group.versions.map((v) => v.groupVersion)),
  ];
  for (const groupVersion of groupVersions) {
    const path = groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
    const list = (await (await fetch(`${baseUrl}${path}`)).json()) as {
      resources: { name: string; kind: string }[];
    };
    for (const resource of list.resources)
      if (!resource.name.includes('/')) names.set(`${groupVersion} ${resource.kind}`, resource.name);
  }
  return names;
}

/** What kubectl prints for an object it applied: `deployment.apps/frontend created`. */
function appliedLine(object: ManifestObject, names: ResourceNames, verbs: string): RegExp {
  const plural = names.get(`${object.apiVersion} ${object.kind}`);
  if (!plural) throw new Error(`discovery does not list ${object.apiVersion} ${object.kind}`);
  const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
  // kubectl prints the singular resource name: deployments -> deployment.
  const singular = object.kind.toLowerCase();
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escape(`${singular}${group}/${object.metadata.name}`)} (${verbs})$`, 'm');
}

const missingManifests = existsSync(MANIFESTS) ? undefined : `${MANIFESTS} is not there`;
const missingKubectl = kubectlUnavailable();
const itWithKubectl = itWithTool(
  'kubectl',
  missingKubectl,
  'Put kubectl on PATH, or name it in SKIFF_KUBECTL.',
);
const itWithManifests = missingKubectl
  ? itWithKubectl
  : itWithTool('the shared manifests', missingManifests, "They come with the repository's ../shared folder.");
const FILES = missingManifests ? [] : yamlFiles(MANIFESTS).map((file) => relative(MANIFESTS, file));

describe('public manifests, applied unmodified with kubectl', () => {
  let server: LocalServerProcess;
  let workDir: string;
  let kubeconfig: string;
  let names: ResourceNames;

  const kubectl = (...args: string[]) =>
    runCommand(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(workDir, 'kubectl-cache'), ...args]);

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'skiff-public-manifests-'));
    server = await spawnLocalServer({ args: ['--in-memory', '--api-only'] });
    kubeconfig = writeKubeconfig(workDir, server.url);
    names = await discoverResources(server.url);
  }, 90_000);
  afterEach(() => expect(server.exited()).toBeUndefined());
  afterAll(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  itWithManifests('finds the manifests SOURCES.md lists', () => {
    const listed = [
      ...readFileSync(join(MANIFESTS, 'SOURCES.md'), 'utf8').matchAll(/^\| ([\w/.-]+\.yaml) \|/gm),
    ];
    expect(FILES).toEqual(listed.map((match) => match[1]).sort());
  });

  // A loop, not describe.each, which refuses an empty table (no manifests). The server-side apply
  // runs after the client-side one, on the objects it made, as a user switching would.
  for (const file of FILES)
    describe(file, () => {
      itWithManifests('apply -f: every object accepted, or refused naming its kind', async () =>
        applyAndCheck(file, 'client-side'),
      );
      itWithManifests(
        'then apply --server-side -f: every object accepted, or refused naming its kind',
        async () => applyAndCheck(file, 'server-side'),
      );
    });

  async function applyAndCheck(file: string, mode: Mode): Promise<void> {
    const path = join(MANIFESTS, file);
    const objects = objectsOf(path);
    const args = ['apply', ...MODES[mode].flags, '-f', path];
    const result = await kubectl(...args);
    const context = `${mode} ${describeRun(KUBECTL, args, result)}`;
    for (const object of objects) {
      const what = `${object.apiVersion} ${object.kind} ${object.metadata.name}`;
      if (served(object))
        expect({
          what,
          context,
          printed: appliedLine(object, names, MODES[mode].verbs).test(result.stdout),
        }).toEqual({
          what,
          context,
          printed: true,
        });
      else
        expect({ what, stderr: result.stderr }).toEqual({
          what,
          stderr: expect.stringContaining(
            `no matches for kind "${object.kind}" in version "${object.apiVersion}"`,
          ),
        });
    }
    const refused = objects.some((object) => !served(object));
    expect({ context, code: result.code }).toEqual({ context, code: refused ? 1 : 0 });
    // Each accepted object is there, read back through the API by kubectl get.
    for (const object of objects.filter(served)) {
      const namespace = object.metadata.namespace ?? 'default';
      const got = await kubectl(
        'get',
        appliedName(object),
        '-n',
        namespace,
        '-o',
        'jsonpath={.metadata.name}',
      );
      expect({ object: appliedName(object), got: got.stdout, stderr: got.stderr }).toEqual({
        object: appliedName(object),
        got: object.metadata.name,
        stderr: '',
      });
    }
  }

  function appliedName(object: ManifestObject): string {
    const plural = names.get(`${object.apiVersion} ${object.kind}`);
    const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
    return `${plural}${group}/${object.metadata.name}`;
  }
});
