import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../support/engines/project-root';
import { eventually } from '../../support/eventually';
import { hostListeners } from '../../support/host-processes';
import { kubectlSession } from '../../support/kubectl-session';

/**
 * The operator contract end to end on `npm start -- --operators`: the example StaticSite operator
 * converges its objects through kubectl, and a failing operator leaves an Event and a condition
 * without holding up other objects, then recovers when its file is fixed (a reload).
 */

const GREETING_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: greetings.test.skiff.dev}
spec:
  group: test.skiff.dev
  scope: Namespaced
  names: {plural: greetings, singular: greeting, kind: Greeting}
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                text: {type: string}
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
`;

/** A Greeting becomes a ConfigMap holding its text; a text of "fail" makes the hook throw (`broken`). */
function greetingOperator(broken: boolean): string {
  return `export default {
  name: 'greeting',
  parentResource: { apiVersion: 'test.skiff.dev/v1', resource: 'greetings' },
  childResources: [{ apiVersion: 'v1', resource: 'configmaps', updateStrategy: { method: 'InPlace' } }],
  hooks: {
    sync(request) {
      const text = request.parent.spec.text;
      if (${broken} && text === 'fail') throw new Error('cannot greet with ' + text);
      return {
        status: { greeted: text },
        children: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: request.parent.metadata.name + '-greeting' }, data: { text } }],
      };
    },
  },
};
`;
}

let operatorsDir = '';

const session = kubectlSession('operators', (workDir) => {
  operatorsDir = join(workDir, 'operators');
  mkdirSync(operatorsDir, { recursive: true });
  writeFileSync(
    join(operatorsDir, 'static-site.operator.ts'),
    `export { default } from ${JSON.stringify(join(PROJECT_ROOT, 'examples/operators/static-site/operator.ts'))};\n`,
  );
  writeFileSync(join(operatorsDir, 'greeting.operator.mjs'), greetingOperator(true));
  return { args: ['--in-memory', '--nodes', '0', '--operators', operatorsDir] };
});

const json = <T>(...args: string[]): T => JSON.parse(session.kubectl(...args, '-o', 'json')) as T;
interface Obj {
  metadata: { name: string; uid: string; ownerReferences?: { uid: string; controller?: boolean }[] };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } & Record<
    string,
    unknown
  >;
}

beforeAll(() => {
  // No pod of these tests needs to run: the local pool may launch nothing.
  session.kubectl('patch', 'nodepool', 'local', '--type', 'merge', '-p', '{"spec":{"limits":{"cpu":"0"}}}');
  session.kubectl('apply', '-f', join(PROJECT_ROOT, 'examples/customresourcedefinition.yaml'));
  const crd = join(session.workDir, 'greeting-crd.yaml');
  writeFileSync(crd, GREETING_CRD);
  session.kubectl('apply', '-f', crd);
}, 60_000);

test('the server and what it runs listen on loopback only', () => {
  const own = hostListeners().filter((listener) => listener.pids.includes(session.server.pid));
  expect(own.length).toBeGreaterThan(0);
  for (const listener of own) expect(listener.address).toBe('127.0.0.1');
});

test('a StaticSite gets its children, owned by it; a change updates them; deleting it removes them', async () => {
  session.kubectl('apply', '-f', join(PROJECT_ROOT, 'examples/staticsite.yaml'));
  const site = json<Obj>('get', 'staticsite', 'hello');
  const children = await eventually(async () => {
    const found = ['configmap/hello-files', 'deployment/hello', 'service/hello'].map((name) =>
      json<Obj>('get', name),
    );
    return found;
  }, 20_000);
  for (const child of children)
    expect(child.metadata.ownerReferences).toEqual([
      expect.objectContaining({ uid: site.metadata.uid, controller: true }),
    ]);
  expect(children[0].data).toEqual({ 'index.html': '<h1>Hello from Skiff</h1>' });
  expect(session.kubectl('get', 'staticsites')).toMatch(/^hello\s+2\s+nginx:1\.27\s+/m);
  await eventually(async () => {
    const status = json<Obj>('get', 'staticsite', 'hello').status;
    expect(status).toMatchObject({ observedGeneration: 1, url: 'http://hello.default.svc.cluster.local/' });
    expect(status?.conditions).toEqual([expect.objectContaining({ type: 'Reconciled', status: 'True' })]);
  }, 20_000);

  session.kubectl(
    'patch',
    'staticsite',
    'hello',
    '--type',
    'merge',
    '-p',
    '{"spec":{"replicas":3,"files":{"about.html":"about"}}}',
  );
  await eventually(async () => {
    expect(json<Obj>('get', 'deployment', 'hello').spec?.replicas).toBe(3);
    expect(json<Obj>('get', 'configmap', 'hello-files').data).toEqual({
      'index.html': '<h1>Hello from Skiff</h1>',
      'about.html': 'about',
    });
  }, 20_000);

  session.kubectl('delete', 'staticsite', 'hello');
  await eventually(async () => {
    const left = session.kubectl(
      'get',
      'configmap,deployment,service',
      '-l',
      'app.kubernetes.io/instance=hello',
      '-o',
      'name',
    );
    expect(left.trim()).toBe('');
  }, 20_000);
});

test('a hook that throws leaves an Event and a condition, other objects still converge, and a fixed file is reloaded', async () => {
  const manifest = join(session.workDir, 'greetings.yaml');
  writeFileSync(
    manifest,
    ['fail', 'hi']
      .map(
        (text) =>
          `apiVersion: test.skiff.dev/v1\nkind: Greeting\nmetadata: {name: g-${text}}\nspec: {text: ${text}}\n`,
      )
      .join('---\n'),
  );
  session.kubectl('apply', '-f', manifest);
  await eventually(async () => {
    expect(json<Obj>('get', 'configmap', 'g-hi-greeting').data).toEqual({ text: 'hi' });
    const failing = json<Obj>('get', 'greeting', 'g-fail');
    expect(failing.status?.conditions).toEqual([
      expect.objectContaining({
        type: 'Reconciled',
        status: 'False',
        reason: 'HookFailed',
        message: 'the hook threw: cannot greet with fail',
      }),
    ]);
  }, 20_000);
  const events = json<{
    items: {
      reason: string;
      type: string;
      involvedObject: { name: string };
      source: { component: string };
    }[];
  }>('get', 'events', '--field-selector', 'involvedObject.name=g-fail');
  expect(events.items).toEqual([
    expect.objectContaining({
      type: 'Warning',
      reason: 'HookFailed',
      source: { component: 'operator/greeting' },
    }),
  ]);
  expect(session.attempt('get', 'configmap', 'g-fail-greeting').code).not.toBe(0);

  writeFileSync(join(operatorsDir, 'greeting.operator.mjs'), greetingOperator(false));
  await eventually(async () => {
    expect(json<Obj>('get', 'configmap', 'g-fail-greeting').data).toEqual({ text: 'fail' });
    expect(json<Obj>('get', 'greeting', 'g-fail').status?.conditions).toEqual([
      expect.objectContaining({ type: 'Reconciled', status: 'True' }),
    ]);
  }, 20_000);
  // The server's stdout reaches this process on its own schedule (kubectl runs synchronously meanwhile).
  await eventually(async () => {
    expect(session.server.output()).toMatch(/operators reloaded from .*: greeting, static-site/);
  }, 10_000);
});

test('a custom object owned by a built-in one is collected with it: the garbage collector searches custom kinds', async () => {
  session.kubectl('create', 'configmap', 'owner-cm');
  const owner = json<Obj>('get', 'configmap', 'owner-cm');
  const manifest = join(session.workDir, 'owned-greeting.yaml');
  writeFileSync(
    manifest,
    [
      'apiVersion: test.skiff.dev/v1',
      'kind: Greeting',
      'metadata:',
      '  name: owned',
      '  ownerReferences:',
      `    - {apiVersion: v1, kind: ConfigMap, name: owner-cm, uid: ${owner.metadata.uid}}`,
      'spec: {text: owned}',
      '',
    ].join('\n'),
  );
  session.kubectl('apply', '-f', manifest);
  // Its operator's child goes with it too, through its own controller reference.
  await eventually(
    async () => expect(json<Obj>('get', 'configmap', 'owned-greeting').data).toEqual({ text: 'owned' }),
    20_000,
  );
  session.kubectl('delete', 'configmap', 'owner-cm');
  await eventually(async () => {
    expect(session.attempt('get', 'greeting', 'owned').stderr).toContain('NotFound');
    expect(session.attempt('get', 'configmap', 'owned-greeting').stderr).toContain('NotFound');
  }, 20_000);
});
