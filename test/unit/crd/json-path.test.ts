import { readJsonPath } from '../../../lib/crd/json-path';

describe('readJsonPath (the subset printer columns and scale paths use)', () => {
  const site = {
    metadata: { name: 'hello', creationTimestamp: '2026-12-01T10:00:00Z' },
    spec: { replicas: 2, files: { 'index.html': 'hi' }, ports: [80, 443] },
    status: {
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'Synced', status: 'False' },
      ],
    },
  };

  it.each([
    ['.spec.replicas', [2]],
    ['{.spec.replicas}', [2]],
    ['.spec.ports[1]', [443]],
    ['.spec.ports[*]', [80, 443]],
    ['.spec.files', [{ 'index.html': 'hi' }]],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    [".status.conditions[?(@.type=='Synced')].status", ['False']],
    ['.spec.missing', []],
    ['.spec.replicas.deeper', []],
    ['.spec.ports[7]', []],
    ['spec.replicas', []],
    ['.spec[', []],
  ])('%s finds %j', (path, found) => {
    expect(readJsonPath(site, path)).toEqual(found);
  });
});
