import { printerColumnsOf } from '../../../lib/crd/printer-columns';
import type { KubeObject } from '../../../lib/kinds/meta';

const site = {
  apiVersion: 'web.skiff.dev/v1alpha1',
  kind: 'StaticSite',
  metadata: { name: 'hello', creationTimestamp: new Date(Date.now() - 90_000).toISOString() },
  spec: { replicas: 2.0, image: 'nginx', public: true, weight: 1.5, files: { a: 'b' }, when: 'soon' },
} as unknown as KubeObject;

describe('printer columns of a custom kind', () => {
  it('is Name and Age without additionalPrinterColumns, as kube defaults them', () => {
    const columns = printerColumnsOf(undefined);
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
    expect(columns.map((c) => c.cell(site))).toEqual(['hello', '90s']);
  });

  it('types each cell by its column, as the CRD table convertor does, null when missing or mistyped', () => {
    const columns = printerColumnsOf([
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Weight', type: 'number', jsonPath: '.spec.weight' },
      { name: 'Public', type: 'boolean', jsonPath: '.spec.public' },
      { name: 'Image', type: 'string', jsonPath: '.spec.image', priority: 1, description: 'The image.' },
      { name: 'Files', type: 'string', jsonPath: '.spec.files' },
      { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' },
      { name: 'Wrong', type: 'integer', jsonPath: '.spec.image' },
      { name: 'When', type: 'date', jsonPath: '.spec.when' },
    ]);
    expect(columns.map((c) => c.cell(site))).toEqual([
      'hello',
      2,
      1.5,
      true,
      'nginx',
      '{"a":"b"}',
      null,
      null,
      '<invalid>',
    ]);
    const image = columns.find((c) => c.name === 'Image');
    expect(image).toMatchObject({ priority: 1, description: 'The image.' });
    expect(columns.find((c) => c.name === 'Replicas')?.description).toBe(
      'Custom resource definition column (in JSONPath format): .spec.replicas',
    );
  });
});
