import { decodeObject } from '../../../lib/kinds/decode';
import { generateJobSelector } from '../../../lib/kinds/job-selector';
import { JobKind, type Job } from '../../../lib/kinds/job';
import type { KubeObject } from '../../../lib/kinds/meta';
import { PodKind, type Pod } from '../../../lib/kinds/pod';
import { aJob, aPod } from '../../support/builders';

const pod = (edit: (spec: Pod['spec']) => void = () => undefined): KubeObject => {
  const { object } = decodeObject(PodKind, aPod({ name: 'web' }));
  edit((object as unknown as Pod).spec);
  return object;
};
const podCauses = (edit: (spec: Pod['spec']) => void, before = pod()) =>
  (PodKind.validateUpdate?.(pod(edit), before) ?? []).map((c) => `${c.field}: ${c.message.split('\n')[0]}`);

describe('Pod update checks (ValidatePodUpdate)', () => {
  it.each<[string, (spec: Pod['spec']) => void]>([
    ['an image', (spec) => void (spec.containers[0].image = 'nginx:2')],
    ['a first toleration', (spec) => void (spec.tolerations = [{ key: 'k', operator: 'Exists' }])],
    ['nothing', () => undefined],
  ])('allows changing %s', (_what, edit) => {
    expect(podCauses(edit)).toEqual([]);
  });

  it('forbids any other spec change, listing what changed', () => {
    const causes =
      PodKind.validateUpdate?.(
        pod((spec) => void (spec.nodeName = 'node-a')),
        pod(),
      ) ?? [];
    expect(causes).toHaveLength(1);
    expect(causes[0].field).toBe('spec');
    expect(causes[0].message.split('\n')).toEqual([
      expect.stringMatching(
        /^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,/,
      ),
      '- spec.nodeName: null',
      '+ spec.nodeName: "node-a"',
    ]);
  });

  it('forbids adding or removing containers before anything else', () => {
    expect(podCauses((spec) => void spec.containers.push({ ...spec.containers[0], name: 'two' }))).toEqual([
      'spec.containers: Forbidden: pod updates may not add or remove containers',
    ]);
  });

  it('lets activeDeadlineSeconds only shrink, and never go', () => {
    const before = pod((spec) => void (spec.activeDeadlineSeconds = 60));
    expect(podCauses((spec) => void (spec.activeDeadlineSeconds = 30), before)).toEqual([]);
    expect(podCauses((spec) => void (spec.activeDeadlineSeconds = 90), before)).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: 90: must be less than or equal to previous value',
    ]);
    expect(podCauses(() => undefined, before)).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value',
    ]);
  });

  it('keeps existing tolerations but their tolerationSeconds, and lets gates only go', () => {
    const before = pod((spec) => {
      spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }];
      spec.schedulingGates = [{ name: 'example.com/wait' }];
    });
    expect(
      podCauses((spec) => {
        spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }];
        spec.schedulingGates = [];
      }, before),
    ).toEqual([]);
    expect(
      podCauses((spec) => {
        spec.tolerations = [];
        spec.schedulingGates = [{ name: 'example.com/wait' }, { name: 'example.com/more' }];
      }, before),
    ).toEqual([
      'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
      "spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/more'",
    ]);
  });
});

describe('Job selector generation and update checks', () => {
  const created = (manifest = aJob({ name: 'batch' }), uid = 'uid-1'): Job => {
    delete (manifest.spec as { selector?: unknown }).selector;
    const { object } = decodeObject(JobKind, manifest);
    return generateJobSelector({ ...object, metadata: { ...object.metadata, uid } }) as unknown as Job;
  };

  it('selects the uid, labels the template and, with no labels of its own, the Job too', () => {
    const manifest = aJob({ name: 'batch', podLabels: {} });
    const job = created(manifest);
    const generated = {
      'batch.kubernetes.io/controller-uid': 'uid-1',
      'batch.kubernetes.io/job-name': 'batch',
      'controller-uid': 'uid-1',
      'job-name': 'batch',
    };
    expect(job.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1' } });
    expect(job.spec.template.metadata.labels).toEqual(generated);
    expect(job.metadata.labels).toEqual(generated);
  });

  it('leaves a manual selector alone', () => {
    const manifest = aJob({ name: 'manual' });
    const { object } = decodeObject(JobKind, {
      ...manifest,
      spec: { ...manifest.spec, manualSelector: true, selector: { matchLabels: { app: 'manual' } } },
    });
    expect(generateJobSelector(object)).toBe(object);
  });

  it('refuses a selector that does not select the generated labels', () => {
    const manifest = aJob({ name: 'batch', podLabels: { app: 'other' } });
    const { object } = decodeObject(JobKind, {
      ...manifest,
      spec: { ...manifest.spec, selector: { matchLabels: { app: 'other' } } },
    });
    expect(() => generateJobSelector({ ...object, metadata: { ...object.metadata, uid: 'u' } })).toThrow(
      /spec.selector: Invalid value: .*: `selector` not auto-generated/,
    );
  });

  it('keeps the template and selector, lets parallelism move, and lets a suspended unstarted Job reschedule', () => {
    const job = created();
    const edited = (edit: (spec: Job['spec']) => void, base: Job = job): KubeObject => {
      const copy = structuredClone(base);
      edit(copy.spec);
      return copy as unknown as KubeObject;
    };
    const before = job as unknown as KubeObject;
    const fields = (next: KubeObject, old = before) =>
      (JobKind.validateUpdate?.(next, old) ?? []).map((c) => c.field);
    expect(fields(edited((spec) => void (spec.parallelism = 4)))).toEqual([]);
    expect(fields(edited((spec) => void (spec.template.spec.containers[0].image = 'x:2')))).toEqual([
      'spec.template',
    ]);
    expect(fields(edited((spec) => void (spec.selector = { matchLabels: { a: 'b' } })))).toEqual([
      'spec.selector',
    ]);
    expect(fields(edited((spec) => void (spec.completions = 3)))).toEqual(['spec.completions']);
    const suspended = edited((spec) => void (spec.suspend = true)) as unknown as Job;
    const nodeSelected = edited((spec) => void (spec.template.spec.nodeSelector = { zone: 'a' }), suspended);
    expect(fields(nodeSelected, suspended as unknown as KubeObject)).toEqual([]);
    expect(fields(nodeSelected, before)).toEqual(['spec.template']);
  });
});
