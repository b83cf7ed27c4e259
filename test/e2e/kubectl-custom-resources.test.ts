import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/engines/project-root';
import { eventually } from '../support/eventually';
import { kubectlSession } from '../support/kubectl-session';
import { KUBECTL, kubectlUnavailable } from './watch-clients/watch-client-tools';

const unavailable = kubectlUnavailable();
const describeWithKubectl = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`kubectl custom resource tests skipped: ${unavailable}`);

const CRD = join(PROJECT_ROOT, 'examples/customresourcedefinition.yaml');
const SITE = join(PROJECT_ROOT, 'examples/staticsite.yaml');

/**
 * kubectl 1.32 against `npm start`: a CustomResourceDefinition applied makes its kind served at
 * once (discovery, every verb), objects of it are pruned, defaulted and validated by its schema with
 * kube-apiserver's causes, and deleting the CRD deletes its objects.
 */
describeWithKubectl('custom resources with kubectl', () => {
  const session = kubectlSession('kubectl-crd');
  const { args, kubectl, attempt } = session;

  it('applies the CRD; it is Established, with its names accepted', () => {
    expect(kubectl('apply', '-f', CRD)).toContain(
      'customresourcedefinition.apiextensions.k8s.io/staticsites.web.skiff.dev created',
    );
    const conditions = JSON.parse(
      kubectl('get', 'crd', 'staticsites.web.skiff.dev', '-o', 'jsonpath={.status.conditions}'),
    ) as { type: string; status: string }[];
    expect(conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'NamesAccepted', status: 'True' }),
        expect.objectContaining({ type: 'Established', status: 'True' }),
      ]),
    );
  });

  it('lists the new kind in discovery, with its short name and category', () => {
    const resources = kubectl('api-resources', '--api-group=web.skiff.dev', '--no-headers');
    expect(resources.trim().split(/\s+/)).toEqual([
      'staticsites',
      'site',
      'web.skiff.dev/v1alpha1',
      'true',
      'StaticSite',
    ]);
  });

  it('creates an object of it, with the schema defaults applied', () => {
    expect(kubectl('apply', '-f', SITE)).toContain('staticsite.web.skiff.dev/hello created');
    const site = JSON.parse(kubectl('get', 'site', 'hello', '-o', 'json')) as {
      spec: { image: string; replicas: number };
      metadata: { namespace: string; uid: string };
    };
    expect(site.spec).toMatchObject({ image: 'nginx:1.27', replicas: 2 });
    expect(site.metadata.namespace).toBe('default');
    expect(site.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses unknown fields under strict validation (kubectl's default), and prunes them with a warning under warn", () => {
    const manifest = join(session.workDir, 'extra.yaml');
    writeFileSync(
      manifest,
      'apiVersion: web.skiff.dev/v1alpha1\nkind: StaticSite\nmetadata:\n  name: extra\nspec:\n  files: {index.html: a}\n  colour: blue\n',
    );
    // kubectl applies with --validate=strict by default (fieldValidation=Strict): refused, as by kube.
    expect(attempt('apply', '-f', manifest)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('strict decoding error: unknown field "spec.colour"'),
    });
    const result = attempt('apply', '--validate=warn', '-f', manifest);
    expect(result).toMatchObject({
      code: 0,
      stderr: expect.stringContaining('Warning: unknown field "spec.colour"'),
    });
    const spec = JSON.parse(kubectl('get', 'staticsite', 'extra', '-o', 'jsonpath={.spec}')) as Record<
      string,
      unknown
    >;
    expect(spec).toEqual({ files: { 'index.html': 'a' }, image: 'nginx:1.27', replicas: 1 });
  });

  it('refuses an invalid object with 422 and the causes kube-apiserver gives, storing nothing', () => {
    const manifest = join(session.workDir, 'bad.yaml');
    writeFileSync(
      manifest,
      'apiVersion: web.skiff.dev/v1alpha1\nkind: StaticSite\nmetadata:\n  name: bad\nspec:\n  replicas: 20\n  files: {}\n  hostname: Not_A_Host\n',
    );
    const result = attempt('apply', '-f', manifest);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('The StaticSite "bad" is invalid:');
    expect(result.stderr).toContain(
      'spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10',
    );
    expect(result.stderr).toContain(
      'spec.files: Invalid value: 0: spec.files in body should have at least 1 properties',
    );
    expect(result.stderr).toContain(
      'spec.hostname: Invalid value: "Not_A_Host": spec.hostname in body should match \'^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$\'',
    );
    expect(attempt('get', 'staticsite', 'bad').stderr).toContain('NotFound');
  });

  it("evaluates the CRD's CEL rule: a site without index.html is refused at spec.files with the rule's message and reason", () => {
    const manifest = join(session.workDir, 'no-index.yaml');
    writeFileSync(
      manifest,
      'apiVersion: web.skiff.dev/v1alpha1\nkind: StaticSite\nmetadata:\n  name: no-index\nspec:\n  files:\n    about.html: hi\n',
    );
    const result = attempt('apply', '-f', manifest);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'The StaticSite "no-index" is invalid: spec.files: Required value: files must include index.html',
    );
    expect(attempt('get', 'staticsite', 'no-index').stderr).toContain('NotFound');
  });

  it("evaluates a transition rule on update: the CRD's hostname is immutable once set", () => {
    const manifest = join(session.workDir, 'hosted.yaml');
    writeFileSync(
      manifest,
      'apiVersion: web.skiff.dev/v1alpha1\nkind: StaticSite\nmetadata:\n  name: hosted\nspec:\n  hostname: a.example.com\n  files:\n    index.html: hi\n',
    );
    kubectl('apply', '-f', manifest);
    const result = attempt(
      'patch',
      'staticsite',
      'hosted',
      '--type',
      'merge',
      '-p',
      '{"spec":{"hostname":"b.example.com"}}',
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'The StaticSite "hosted" is invalid: spec.hostname: Invalid value: "b.example.com": hostname is immutable',
    );
    expect(kubectl('get', 'staticsite', 'hosted', '-o', 'jsonpath={.spec.hostname}')).toBe('a.example.com');
    kubectl('patch', 'staticsite', 'hosted', '--type', 'merge', '-p', '{"spec":{"replicas":2}}');
    kubectl('delete', 'staticsite', 'hosted');
  });

  it('ratchets validation once the CRD tightens: other fields of an object stored before still change, the invalid one only to a valid value', () => {
    const crd = (nameSchema: string) =>
      [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        'metadata:',
        '  name: gadgets.ratchet.skiff.dev',
        'spec:',
        '  group: ratchet.skiff.dev',
        '  scope: Namespaced',
        '  names: {plural: gadgets, singular: gadget, kind: Gadget}',
        '  versions:',
        '  - name: v1',
        '    served: true',
        '    storage: true',
        '    schema:',
        '      openAPIV3Schema:',
        '        type: object',
        '        properties:',
        '          spec:',
        '            type: object',
        '            properties:',
        `              name: ${nameSchema}`,
        '              replicas: {type: integer}',
        '',
      ].join('\n');
    const definition = join(session.workDir, 'gadgets.yaml');
    writeFileSync(definition, crd('{type: string}'));
    kubectl('apply', '-f', definition);
    const gadget = join(session.workDir, 'gadget.yaml');
    const manifest = (name: string, gadgetName: string) =>
      `apiVersion: ratchet.skiff.dev/v1\nkind: Gadget\nmetadata:\n  name: ${name}\nspec:\n  name: ${gadgetName}\n  replicas: 1\n`;
    writeFileSync(gadget, manifest('old', 'much-too-long'));
    kubectl('apply', '-f', gadget);
    writeFileSync(definition, crd('{type: string, maxLength: 5}'));
    kubectl('apply', '-f', definition);

    kubectl('patch', 'gadget', 'old', '--type', 'merge', '-p', '{"spec":{"replicas":3}}');
    expect(kubectl('get', 'gadget', 'old', '-o', 'jsonpath={.spec.replicas} {.spec.name}')).toBe(
      '3 much-too-long',
    );
    const renamed = attempt(
      'patch',
      'gadget',
      'old',
      '--type',
      'merge',
      '-p',
      '{"spec":{"name":"still-too-long"}}',
    );
    expect(renamed.code).not.toBe(0);
    expect(renamed.stderr).toContain('The Gadget "old" is invalid: spec.name: Too long');
    writeFileSync(gadget, manifest('new', 'much-too-long'));
    expect(attempt('apply', '-f', gadget).stderr).toContain(
      'The Gadget "new" is invalid: spec.name: Too long',
    );
    kubectl('patch', 'gadget', 'old', '--type', 'merge', '-p', '{"spec":{"name":"short"}}');
    expect(kubectl('get', 'gadget', 'old', '-o', 'jsonpath={.spec.name}')).toBe('short');
    kubectl('delete', '-f', definition);
  });

  it("selects by the CRD's selectableFields, and refuses other fields as kube-apiserver does", () => {
    const selected = kubectl('get', 'staticsites', '--field-selector', 'spec.image=nginx:1.27', '-o', 'name');
    expect(selected).toContain('staticsite.web.skiff.dev/hello');
    expect(kubectl('get', 'staticsites', '--field-selector', 'spec.image=httpd', '-o', 'name').trim()).toBe(
      '',
    );
    const refused = attempt('get', 'staticsites', '--field-selector', 'spec.hostname=x');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('field label not supported: spec.hostname');
  });

  it('serves the status subresource: a status write through it lands, one through the main resource does not', () => {
    kubectl(
      'patch',
      'staticsite',
      'hello',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"replicas":2}}',
    );
    kubectl('patch', 'staticsite', 'hello', '--type=merge', '-p', '{"status":{"replicas":9}}');
    expect(kubectl('get', 'staticsite', 'hello', '-o', 'jsonpath={.status.replicas}')).toBe('2');
  });

  it('prints the printer columns the CRD declares', () => {
    const table = kubectl('get', 'staticsites');
    const [header, ...rows] = table.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['NAME', 'REPLICAS', 'IMAGE', 'AGE']);
    const hello = rows.find((row) => row.startsWith('hello '));
    expect(hello?.split(/\s{2,}/).slice(0, 3)).toEqual(['hello', '2', 'nginx:1.27']);
    // The Age column is a date: kubectl shows an age, not the timestamp.
    expect(hello?.split(/\s{2,}/)[3]).toMatch(/^\d+(s|m)/);
  });

  it('serves the scale subresource at the paths the CRD names: kubectl scale changes spec.replicas', () => {
    expect(kubectl('scale', 'staticsite', 'hello', '--replicas=3')).toContain(
      'staticsite.web.skiff.dev/hello scaled',
    );
    expect(kubectl('get', 'staticsite', 'hello', '-o', 'jsonpath={.spec.replicas}')).toBe('3');
    const scale = JSON.parse(
      kubectl('get', '--raw', '/apis/web.skiff.dev/v1alpha1/namespaces/default/staticsites/hello/scale'),
    ) as {
      kind: string;
      spec: { replicas: number };
      status: { replicas: number };
    };
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 3 }, status: { replicas: 2 } });
  });

  it('explains the kind from its CRD schema', () => {
    const output = kubectl('explain', 'staticsites.spec');
    expect(output).toMatch(/^GROUP:\s+web\.skiff\.dev\nKIND:\s+StaticSite\nVERSION:\s+v1alpha1\n/);
    expect(output).toContain('File name to content, served from the site');
    expect(output).toMatch(/files\s+<map\[string\]string> -required-/);
    expect(kubectl('explain', 'staticsites')).toContain('A web site whose files are held in the object');
  });

  it('streams changes to `kubectl get -w`', async () => {
    const watcher = spawn(KUBECTL, args('get', 'staticsites', '-w', '-o', 'name'), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    watcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await eventually(async () => expect(output).toContain('staticsite.web.skiff.dev/hello'), 10_000);
      const manifest = join(session.workDir, 'watched.yaml');
      writeFileSync(
        manifest,
        'apiVersion: web.skiff.dev/v1alpha1\nkind: StaticSite\nmetadata:\n  name: watched\nspec:\n  files: {index.html: a}\n',
      );
      kubectl('apply', '-f', manifest);
      await eventually(async () => expect(output).toContain('staticsite.web.skiff.dev/watched'), 10_000);
    } finally {
      watcher.kill();
    }
  });

  it('deletes the objects with their CRD, and the kind is no longer served', async () => {
    kubectl('delete', '-f', CRD);
    await eventually(
      async () => expect(attempt('get', 'crd', 'staticsites.web.skiff.dev').code).not.toBe(0),
      10_000,
    );
    // kubectl's discovery cache still names the kind: the list is 404 NotFound, as from kube-apiserver.
    const listed = attempt('get', 'staticsites');
    expect(listed).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('the server could not find the requested resource'),
    });
    // Discovery read afresh no longer has it.
    const fresh = spawnSync(
      KUBECTL,
      [
        '--kubeconfig',
        session.kubeconfig,
        '--cache-dir',
        join(session.workDir, 'fresh'),
        'get',
        'staticsites',
      ],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(fresh.stderr).toContain('the server doesn\'t have a resource type "staticsites"');
    // Created again, the kind starts empty: the objects went with the CRD.
    kubectl('apply', '-f', CRD);
    expect(kubectl('get', 'staticsites', '-A', '-o', 'name')).toBe('');
  });
});
