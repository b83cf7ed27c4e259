import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOperators, OperatorLoadError } from '../../../lib/operators/load-operators';

/** YAML operators (Metacontroller's CompositeController documents); modules are loaded by the e2e suite under tsx. */
let dir = '';
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'skiff-operators-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const composite = `apiVersion: metacontroller.k8s.io/v1alpha1
kind: CompositeController
metadata: {name: backups}
spec:
  parentResource: {apiVersion: ops.dev/v1, resource: backups}
  childResources:
    - {apiVersion: batch/v1, resource: cronjobs, updateStrategy: {method: InPlace}}
  hooks:
    sync: {webhook: {url: "http://127.0.0.1:9000/sync"}}
`;

test('a CompositeController document is an operator; other documents beside it are left alone', async () => {
  writeFileSync(
    join(dir, 'backups.yaml'),
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n${composite}`,
  );
  await expect(loadOperators(dir)).resolves.toEqual([
    {
      name: 'backups',
      parentResource: { apiVersion: 'ops.dev/v1', resource: 'backups' },
      childResources: [
        { apiVersion: 'batch/v1', resource: 'cronjobs', updateStrategy: { method: 'InPlace' } },
      ],
      hooks: { sync: { webhook: { url: 'http://127.0.0.1:9000/sync' } } },
    },
  ]);
});

test.each([
  [
    'a hook that is neither function nor webhook',
    composite.replace('{webhook: {url: "http://127.0.0.1:9000/sync"}}', 'nope'),
    /hooks\.sync/,
  ],
  ['an unknown update method', composite.replace('InPlace', 'Sometimes'), /updateStrategy\.method/],
  ['a name that is not a DNS label', composite.replace('name: backups', 'name: Backups!'), /name/],
])('%s is refused naming the file and field', async (_, text, field) => {
  const file = join(dir, 'op.yaml');
  writeFileSync(file, text);
  const error = await loadOperators(dir).catch((e: Error) => e);
  expect(error).toBeInstanceOf(OperatorLoadError);
  expect((error as Error).message).toContain(file);
  expect((error as Error).message).toMatch(field);
});

test('two operators of one name and a missing path are refused', async () => {
  writeFileSync(join(dir, 'a.yaml'), composite);
  writeFileSync(join(dir, 'b.yaml'), composite);
  await expect(loadOperators(dir)).rejects.toThrow('are named backups');
  await expect(loadOperators(join(dir, 'none'))).rejects.toThrow('no operator file or folder');
});

test('in a folder, modules not named operator.* or *.operator.* are helpers and are not loaded', async () => {
  writeFileSync(join(dir, 'helpers.ts'), 'export const x = 1;\n');
  writeFileSync(join(dir, 'cdk.ts'), 'export const y = 2;\n');
  writeFileSync(join(dir, 'backups.yaml'), composite);
  await expect(loadOperators(dir)).resolves.toEqual([expect.objectContaining({ name: 'backups' })]);
});
