import {
  covers,
  LAST_APPLIED_ANNOTATION,
  lastAppliedOf,
  threeWayMergePatch,
  withLastApplied,
} from '../../../lib/cli/apply-patch';
import type { KubeObject } from '../../../lib/kinds/meta';
import { aDeployment } from '../../support/builders';

describe('skiff apply patch', () => {
  it('is undefined when live already says everything the manifest says (unchanged)', () => {
    const live = {
      spec: { replicas: 3, revisionHistoryLimit: 10, ports: [{ containerPort: 80, protocol: 'TCP' }] },
    };
    expect(
      threeWayMergePatch(undefined, { spec: { replicas: 3, ports: [{ containerPort: 80 }] } }, live),
    ).toBeUndefined();
  });

  it('sets only what the manifest changes, leaving defaults and other writers alone', () => {
    const live = { spec: { replicas: 3, paused: false, template: { image: 'a' } } };
    expect(
      threeWayMergePatch(
        { spec: { replicas: 3 } },
        { spec: { replicas: 5, template: { image: 'a' } } },
        live,
      ),
    ).toEqual({
      spec: { replicas: 5 },
    });
  });

  it('removes a field the last apply set and this one no longer has', () => {
    const last = { metadata: { labels: { app: 'web', tier: 'front' } } };
    const live = { metadata: { labels: { app: 'web', tier: 'front', added: 'by-hand' } } };
    expect(threeWayMergePatch(last, { metadata: { labels: { app: 'web' } } }, live)).toEqual({
      metadata: { labels: { tier: null } },
    });
  });

  it('replaces a list whole when one of its items differs, as merge patch does', () => {
    const live = { containers: [{ name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent' }] };
    expect(
      threeWayMergePatch(undefined, { containers: [{ name: 'web', image: 'nginx:1.28' }] }, live),
    ).toEqual({
      containers: [{ name: 'web', image: 'nginx:1.28' }],
    });
  });

  it('covers compares lists by length and item, and objects by the desired fields only', () => {
    expect(covers([{ a: 1 }], [{ a: 1, b: 2 }])).toBe(true);
    expect(covers([{ a: 1 }], [{ a: 1 }, { a: 2 }])).toBe(false);
    expect(covers({ a: '1' }, { a: 1 })).toBe(false);
  });

  it('records the manifest (without status or the annotation itself) in the last-applied annotation', () => {
    const manifest = { ...(aDeployment({ replicas: 2 }) as KubeObject), status: { replicas: 9 } };
    const sent = withLastApplied(manifest);
    expect(sent.status).toBeUndefined();
    const recorded = lastAppliedOf(sent);
    expect(recorded).toEqual({ ...aDeployment({ replicas: 2 }) });
    // Applying what was sent again changes nothing: the annotation is stable.
    expect(threeWayMergePatch(recorded, withLastApplied(manifest), sent)).toBeUndefined();
    expect(sent.metadata.annotations?.[LAST_APPLIED_ANNOTATION]).toContain('"replicas":2');
  });
});
