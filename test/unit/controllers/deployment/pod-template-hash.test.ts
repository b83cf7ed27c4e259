import {
  fnv1a32,
  podTemplateHash,
  templatesEqualIgnoringHash,
} from '../../../../lib/controllers/deployment/pod-template-hash';
import { stableJson } from '../../../../lib/controllers/deployment/stable-json';
import { storedDeployment } from './simulated-world';

const template = storedDeployment().spec.template;
const withLabels = (labels: Record<string, string>) => ({
  ...template,
  metadata: { ...template.metadata, labels },
});

describe('stableJson', () => {
  it.each([
    ['sorts keys at every depth', { b: 1, a: [{ d: 2, c: 3 }] }, '{"a":[{"c":3,"d":2}],"b":1}'],
    ['leaves out undefined members', { a: undefined, b: null }, '{"b":null}'],
    ['writes scalars as JSON does', 'x"y', '"x\\"y"'],
  ])('%s', (_, value, expected) => expect(stableJson(value)).toBe(expected));
});

describe('fnv1a32', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j as the FNV-1a reference vectors say', (text, expected) =>
    expect(fnv1a32(new TextEncoder().encode(text))).toBe(expected),
  );
});

describe('podTemplateHash', () => {
  it('is made of the safe alphabet only', () =>
    expect(podTemplateHash(template)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/));

  it('is the same whatever order the template keys were written in', () => {
    const reordered = { spec: template.spec, metadata: template.metadata };
    expect(podTemplateHash(reordered)).toBe(podTemplateHash(template));
  });

  it.each([
    [
      'another image',
      {
        ...template,
        spec: { ...template.spec, containers: [{ ...template.spec.containers[0], image: 'nginx:1.28' }] },
      },
    ],
    ['another label', withLabels({ app: 'web', track: 'canary' })],
  ])('changes with %s', (_, changed) => expect(podTemplateHash(changed)).not.toBe(podTemplateHash(template)));

  it.each([0, 1, 2])('changes with collisionCount %i, and differs from no count at all', (count) => {
    expect(podTemplateHash(template, count)).not.toBe(podTemplateHash(template));
    expect(podTemplateHash(template, count)).not.toBe(podTemplateHash(template, count + 1));
  });
});

describe('templatesEqualIgnoringHash', () => {
  it.each([
    ['the same template', template, true],
    [
      'the template with a pod-template-hash label',
      withLabels({ app: 'web', 'pod-template-hash': 'abc' }),
      true,
    ],
    ['a template with another label', withLabels({ app: 'web', tier: 'front' }), false],
  ])('a template equals %s: %s', (_, other, expected) =>
    expect(templatesEqualIgnoringHash(template, other)).toBe(expected),
  );
});
