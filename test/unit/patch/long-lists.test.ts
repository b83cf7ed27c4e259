import { patchMetaFromJsonSchema } from '../../../lib/api/patch/patch-meta';
import { strategicMergePatch } from '../../../lib/api/patch/strategic-merge-patch';
import { deploymentJsonSchema } from './fixtures/deployment-schema';

const meta = patchMetaFromJsonSchema(deploymentJsonSchema);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A Deployment whose one container has `env` (merged by name) and `args` (a primitive list). */
function withContainer(container: Record<string, unknown>) {
  return { spec: { template: { spec: { containers: [{ name: 'app', ...container }] } } } };
}

function containerOf(result: unknown): Record<string, unknown> {
  return (result as ReturnType<typeof withContainer>).spec.template.spec.containers[0];
}

/**
 * Lists as long as an object can hold merge as short ones do: indexed look-ups replaced linear
 * scans, so these cases check that the answers did not change with the algorithm.
 */
describe('strategic merge patch on long lists', () => {
  it('merges 12,000 items by key in place and appends the new ones in patch order', () => {
    const original = withContainer({ env: range(12_000).map((i) => ({ name: `E${i}`, value: 'old' })) });
    const patch = withContainer({
      env: [
        { name: 'NEW1', value: 'n' },
        ...range(12_000).map((i) => ({ name: `E${i}`, value: `v${i}` })),
        { name: 'NEW2', value: 'n' },
      ],
    });
    const env = containerOf(strategicMergePatch(original, patch, meta)).env as {
      name: string;
      value: string;
    }[];
    expect(env).toHaveLength(12_002);
    expect(env[0]).toEqual({ name: 'NEW1', value: 'n' });
    expect(env[1]).toEqual({ name: 'E0', value: 'v0' });
    expect(env[12_000]).toEqual({ name: 'E11999', value: 'v11999' });
    expect(env[12_001]).toEqual({ name: 'NEW2', value: 'n' });
  });

  it('merges into the first of two items sharing a key, and twice-named patch items into one', () => {
    const original = withContainer({
      env: [
        { name: 'A', value: '1' },
        { name: 'A', value: '2' },
      ],
    });
    const patch = withContainer({
      env: [
        { name: 'A', value: 'x' },
        { name: 'B', value: 'b1' },
        { name: 'B', value: 'b2' },
      ],
    });
    expect(containerOf(strategicMergePatch(original, patch, meta)).env).toEqual([
      { name: 'A', value: 'x' },
      { name: 'A', value: '2' },
      { name: 'B', value: 'b2' },
    ]);
  });

  it('deletes every item a $patch: delete names, among thousands', () => {
    const original = withContainer({ env: range(5_000).map((i) => ({ name: `E${i}` })) });
    const patch = withContainer({ env: range(2_500).map((i) => ({ name: `E${i * 2}`, $patch: 'delete' })) });
    const env = containerOf(strategicMergePatch(original, patch, meta)).env as { name: string }[];
    expect(env.map((e) => e.name)).toEqual(range(2_500).map((i) => `E${i * 2 + 1}`));
  });

  it('removes the listed values from a 28,000-item primitive list', () => {
    const original = withContainer({ args: range(28_000).map((i) => `a${i}`) });
    const patch = withContainer({ '$deleteFromPrimitiveList/args': range(14_000).map((i) => `a${i * 2}`) });
    const args = containerOf(strategicMergePatch(original, patch, meta)).args as string[];
    expect(args).toEqual(range(14_000).map((i) => `a${i * 2 + 1}`));
  });

  it('orders 12,000 items by a reversed $setElementOrder', () => {
    const original = withContainer({ env: range(12_000).map((i) => ({ name: `E${i}` })) });
    const patch = withContainer({
      '$setElementOrder/env': range(12_000)
        .reverse()
        .map((i) => ({ name: `E${i}` })),
    });
    const env = containerOf(strategicMergePatch(original, patch, meta)).env as { name: string }[];
    expect(env.map((e) => e.name)).toEqual(
      range(12_000)
        .reverse()
        .map((i) => `E${i}`),
    );
  });
});
