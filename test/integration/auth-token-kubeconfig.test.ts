import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { PROJECT_ROOT } from '../support/engines/project-root';

/**
 * `skiff kubeconfig` as a user runs it after `cdk deploy --outputs-file`: the printed kubeconfig
 * parses, kubectl 1.32 reads it (`kubectl config view`), and its aws exec entry is the command
 * line `aws eks update-kubeconfig` writes, so aws-cli runs it unmodified.
 */

const SKIFF = join(PROJECT_ROOT, 'bin/skiff');
const KUBECTL = '/usr/bin/kubectl';
const API_URL = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/';

describe('skiff kubeconfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-kubeconfig-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function skiff(args: string[]) {
    return spawnSync(SKIFF, args, { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
  }

  /** kubectl's own reading of a kubeconfig, as JSON. */
  function kubectlView(kubeconfig: string) {
    const path = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(path, kubeconfig);
    // kubectl may start the exec plugin even for `config view`: give it none to find, so its
    // reading of the file does not depend on this machine's aws-cli and credentials.
    const view = spawnSync(KUBECTL, ['config', 'view', '--kubeconfig', path, '-o', 'json'], {
      encoding: 'utf8',
      env: { PATH: '/nonexistent', HOME: dir },
    });
    expect(view.status).toBe(0);
    return JSON.parse(view.stdout);
  }

  it("from cdk's outputs file: the ApiUrl as server, the stack as cluster, the API's region, EKS's aws exec entry", () => {
    const outputs = join(dir, 'outputs.json');
    writeFileSync(
      outputs,
      JSON.stringify({ SkiffDev: { ApiUrl: API_URL, NodeRoleArn: 'arn:aws:iam::123456789012:role/x' } }),
    );
    const run = skiff(['kubeconfig', '--stack-outputs', outputs]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(parse(run.stdout)).toMatchObject({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'SkiffDev',
    });
    const view = kubectlView(run.stdout);
    expect(view['current-context']).toBe('SkiffDev');
    expect(view.clusters).toEqual([{ name: 'SkiffDev', cluster: { server: API_URL } }]);
    expect(view.contexts).toEqual([{ name: 'SkiffDev', context: { cluster: 'SkiffDev', user: 'SkiffDev' } }]);
    expect(view.users).toEqual([
      {
        name: 'SkiffDev',
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: [
              '--region',
              'eu-west-1',
              'eks',
              'get-token',
              '--cluster-name',
              'SkiffDev',
              '--output',
              'json',
            ],
            env: null,
            provideClusterInfo: false,
            interactiveMode: 'IfAvailable',
          },
        },
      },
    ]);
  });

  it('with --exec skiff: skiff token for the cluster named, its region and profile', () => {
    const run = skiff([
      'kubeconfig',
      '--server',
      API_URL,
      '--cluster-name',
      'prod',
      '--exec',
      'skiff',
      '--region',
      'us-west-2',
      '--profile',
      'admin',
    ]);
    expect(run.status).toBe(0);
    const exec = kubectlView(run.stdout).users[0].user.exec;
    expect(exec).toMatchObject({
      command: 'skiff',
      args: ['token', '--cluster-name', 'prod', '--region', 'us-west-2'],
      env: [{ name: 'AWS_PROFILE', value: 'admin' }],
    });
  });

  it('with --kubeconfig, merges into a file as update-kubeconfig does: other entries kept, its own replaced, made current', () => {
    const path = join(dir, 'merged', 'config');
    const added = skiff(['kubeconfig', '--server', API_URL, '--cluster-name', 'prod', '--kubeconfig', path]);
    expect(added.status).toBe(0);
    expect(added.stdout).toBe(`Added new context prod in ${path}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // Another cluster's entries, as the user already has them.
    const other = parse(readFileSync(path, 'utf8'));
    other.clusters.push({ name: 'kind', cluster: { server: 'https://127.0.0.1:6443' } });
    other.contexts.push({ name: 'kind', context: { cluster: 'kind', user: 'kind' } });
    other.users.push({ name: 'kind', user: { token: 'abc' } });
    other['current-context'] = 'kind';
    writeFileSync(path, stringify(other));

    const moved = 'https://z9y8x7w6v5.execute-api.eu-west-1.amazonaws.com/prod/';
    const updated = skiff(['kubeconfig', '--server', moved, '--cluster-name', 'prod', '--kubeconfig', path]);
    expect(updated.stdout).toBe(`Updated context prod in ${path}\n`);
    const view = kubectlView(readFileSync(path, 'utf8'));
    expect(view['current-context']).toBe('prod');
    expect(
      view.clusters.map((c: { name: string; cluster: { server: string } }) => [c.name, c.cluster.server]),
    ).toEqual([
      ['kind', 'https://127.0.0.1:6443'],
      ['prod', moved],
    ]);
    expect(view.users.map((u: { name: string }) => u.name)).toEqual(['kind', 'prod']);
    expect(view.contexts.map((c: { name: string }) => c.name)).toEqual(['kind', 'prod']);
  });

  it.each([
    [['kubeconfig', '--cluster-name', 'x'], /needs --server URL or --stack-outputs FILE/],
    [['kubeconfig', '--server', API_URL], /needs --cluster-name/],
    [['kubeconfig', '--stack-outputs', '/nonexistent/outputs.json'], /cannot read the stack outputs/],
    [
      ['kubeconfig', '--cluster-name', 'x', '--server', API_URL, '--exec', 'kubelogin'],
      /Allowed choices are aws, skiff/,
    ],
  ])('refuses %j, saying why', (args, message) => {
    const run = skiff(args);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});
