import { kubectlSession } from '../support/kubectl-session';
import { kubectlUnavailable } from './watch-clients/watch-client-tools';

const unavailable = kubectlUnavailable();
const describeWithKubectl = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`kubectl capacity tests skipped: ${unavailable}`);

/**
 * kubectl against `npm start` for the capacity kinds: it finds them by discovery (plural, short
 * name, category), applies the examples, prints Karpenter's columns and explains fields from the
 * OpenAPI document.
 */
describeWithKubectl('kubectl and the capacity kinds', () => {
  const { kubectl } = kubectlSession('kubectl-capacity');

  it('lists NodePool and NodeClaim (and AccessEntry) in api-resources, with their short names and scope', () => {
    const lines = kubectl('api-resources', '--api-group=skiff.dev', '--no-headers').trim().split('\n');
    expect(lines.map((line) => line.split(/\s+/))).toEqual([
      ['accessentries', 'ae', 'skiff.dev/v1alpha1', 'false', 'AccessEntry'],
      ['nodeclaims', 'nc', 'skiff.dev/v1alpha1', 'false', 'NodeClaim'],
      ['nodepools', 'np', 'skiff.dev/v1alpha1', 'false', 'NodePool'],
    ]);
  });

  it('applies the examples and prints them with their columns', () => {
    expect(kubectl('apply', '-f', 'examples/nodepool.yaml', '-f', 'examples/nodeclaim.yaml')).toBe(
      'nodepool.skiff.dev/general created\nnodeclaim.skiff.dev/general-7x2kq created\n',
    );
    const pools = kubectl('get', 'nodepools').trim().split('\n');
    expect(pools[0].split(/\s+/)).toEqual(['NAME', 'NODES', 'READY', 'AGE']);
    expect(pools[1].split(/\s+/).slice(0, 3)).toEqual(['general', '0', 'Unknown']);
    const claims = kubectl('get', 'nc', '-o', 'wide').trim().split('\n');
    expect(claims[0].split(/\s+/)).toEqual([
      'NAME',
      'TYPE',
      'CAPACITY',
      'ZONE',
      'NODE',
      'READY',
      'AGE',
      'ID',
      'NODEPOOL',
      '$/H',
      'REASON',
    ]);
    expect(claims[1]).toMatch(/^general-7x2kq\s+t4g\.medium\s+spot\s+us-east-1a\s+/);
    expect(kubectl('get', 'karpenter', '-o', 'name').trim().split('\n').sort()).toEqual([
      'nodeclaim.skiff.dev/general-7x2kq',
      'nodepool.skiff.dev/general',
    ]);
  });

  it('explains NodePool fields from the OpenAPI document', () => {
    expect(kubectl('explain', 'nodepools.spec.disruption')).toContain('consolidationPolicy');
  });
});
