import { formatObjects } from '../../../lib/cli/print-object';
import type { ApiResource } from '../../../lib/cli/discovery';
import type { KubeObject } from '../../../lib/kinds/meta';

const CONFIGMAPS: ApiResource = {
  apiVersion: 'v1',
  group: '',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
};

describe('Printing objects as YAML or JSON', () => {
  it('leaves managedFields out, as kubectl get does by default, and keeps metadata where it was', () => {
    const object: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'settings',
        managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:data': {} } }],
      },
      data: { a: '1' },
    };
    expect(formatObjects([object], 'yaml', CONFIGMAPS, false)).toBe(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n',
    );
    expect(object.metadata.managedFields).toHaveLength(1);
  });
});
