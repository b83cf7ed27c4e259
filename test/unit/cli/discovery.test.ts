import { findResource, qualifiedName, resourcesOf } from '../../../lib/cli/discovery';

/** Discovery documents as Skiff serves them (trimmed to a few resources). */
const core = resourcesOf({
  groupVersion: 'v1',
  resources: [
    { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'] },
    { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod' },
    { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', shortNames: ['no'] },
  ],
});
const apps = resourcesOf({
  groupVersion: 'apps/v1',
  resources: [
    {
      name: 'deployments',
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      shortNames: ['deploy'],
    },
  ],
});
const skiff = resourcesOf({
  groupVersion: 'skiff.dev/v1alpha1',
  resources: [{ name: 'nodepools', singularName: 'nodepool', namespaced: false, kind: 'NodePool' }],
});
const all = [...core, ...apps, ...skiff];

describe('skiff discovery', () => {
  it('leaves subresources out', () => {
    expect(core.map((r) => r.plural)).toEqual(['pods', 'nodes']);
  });

  it('resolves plural, singular, short name and kind in any case, with or without the group', () => {
    for (const name of [
      'deployments',
      'deployment',
      'deploy',
      'Deployment',
      'deployments.apps',
      'deploy.apps',
    ])
      expect(findResource(all, name)).toMatchObject({
        apiVersion: 'apps/v1',
        plural: 'deployments',
        namespaced: true,
      });
    expect(findResource(all, 'nodepool.skiff.dev')).toMatchObject({
      apiVersion: 'skiff.dev/v1alpha1',
      group: 'skiff.dev',
    });
    expect(findResource(all, 'po').plural).toBe('pods');
  });

  it("refuses a name the server does not serve, or one in the wrong group, in kubectl's words", () => {
    expect(() => findResource(all, 'widgets')).toThrow('the server doesn\'t have a resource type "widgets"');
    expect(() => findResource(all, 'pods.apps')).toThrow(/resource type "pods.apps"/);
  });

  it("spells objects as kubectl's apply and -o name do", () => {
    expect(qualifiedName(findResource(all, 'deploy'), 'web')).toBe('deployment.apps/web');
    expect(qualifiedName(findResource(all, 'pods'), 'web-1')).toBe('pod/web-1');
    expect(qualifiedName(findResource(all, 'nodepools'), 'local')).toBe('nodepool.skiff.dev/local');
  });
});
