import { DeploymentKind, type Deployment } from '../../../lib/kinds/deployment';
import { aDeployment } from '../../support/builders';
import { decoded, invalidCauses, invalidLines } from './decode-helpers';

describe('Deployment', () => {
  describe('defaults', () => {
    it("applies kube-apiserver's Deployment defaults", () => {
      const { spec } = decoded<Deployment>(DeploymentKind, aDeployment());
      expect(spec.replicas).toBe(1);
      expect(spec.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      });
      expect(spec.revisionHistoryLimit).toBe(10);
      expect(spec.progressDeadlineSeconds).toBe(600);
    });

    it('keeps what the manifest says', () => {
      const { spec } = decoded<Deployment>(
        DeploymentKind,
        aDeployment({ replicas: 0, revisionHistoryLimit: 2, strategy: { rollingUpdate: { maxSurge: 1 } } }),
      );
      expect(spec.replicas).toBe(0);
      expect(spec.revisionHistoryLimit).toBe(2);
      expect(spec.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' },
      });
    });

    it('does not invent a rollingUpdate for Recreate', () => {
      const { spec } = decoded<Deployment>(DeploymentKind, aDeployment({ strategy: { type: 'Recreate' } }));
      expect(spec.strategy).toEqual({ type: 'Recreate' });
    });

    it('defaults the pod template as Kubernetes defaults any pod spec', () => {
      const { spec } = decoded<Deployment>(DeploymentKind, aDeployment({ image: 'nginx' }));
      expect(spec.template.spec).toMatchObject({
        restartPolicy: 'Always',
        dnsPolicy: 'ClusterFirst',
        terminationGracePeriodSeconds: 30,
        schedulerName: 'default-scheduler',
        securityContext: {},
      });
      expect(spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
      // requests from limits is a Pod-only default, not a template one
      expect(spec.template.spec.enableServiceLinks).toBeUndefined();
    });

    it('starts with an empty status', () => {
      expect(decoded<Deployment>(DeploymentKind, aDeployment()).status).toEqual({});
    });
  });

  describe('validation', () => {
    it('refuses negative replicas', () => {
      expect(invalidLines(DeploymentKind, aDeployment({ replicas: -1 }))).toEqual([
        'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      ]);
    });

    it("requires a selector, and then says the template's labels do not match it, as kube does", () => {
      const manifest = aDeployment({ labels: { app: 'web' } });
      delete (manifest.spec as { selector?: unknown }).selector;
      expect(invalidCauses(DeploymentKind, manifest)).toEqual([
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
          field: 'spec.template.metadata.labels',
        },
      ]);
    });

    it('refuses an empty selector', () => {
      expect(invalidLines(DeploymentKind, aDeployment({ selector: {} }))).toEqual([
        'spec.selector: Invalid value: {}: empty selector is invalid for deployment',
      ]);
    });

    it('requires the template labels to match the selector', () => {
      expect(
        invalidCauses(DeploymentKind, aDeployment({ selector: { matchLabels: { app: 'api' } } })),
      ).toEqual([
        {
          reason: 'FieldValueInvalid',
          field: 'spec.template.metadata.labels',
          message:
            'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
        },
      ]);
    });

    it('matches selector expressions against the template labels', () => {
      const selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] };
      expect(() => decoded(DeploymentKind, aDeployment({ selector }))).not.toThrow();
      const notIn = { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] };
      expect(invalidCauses(DeploymentKind, aDeployment({ selector: notIn }))[0].field).toBe(
        'spec.template.metadata.labels',
      );
    });

    it('requires values for In and forbids them for Exists', () => {
      const selector = {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In' },
          { key: 'app', operator: 'Exists', values: ['x'] },
          { key: 'app', operator: 'Near' },
        ],
      };
      expect(invalidLines(DeploymentKind, aDeployment({ selector }))).toEqual([
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
      ]);
    });

    it('forbids rollingUpdate with the Recreate strategy', () => {
      const manifest = aDeployment({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } });
      expect(invalidCauses(DeploymentKind, manifest)).toEqual([
        {
          reason: 'FieldValueForbidden',
          field: 'spec.strategy.rollingUpdate',
          message: "Forbidden: may not be specified when strategy `type` is 'Recreate'",
        },
      ]);
    });

    it('refuses maxSurge and maxUnavailable both zero', () => {
      const manifest = aDeployment({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } });
      expect(invalidLines(DeploymentKind, manifest)).toEqual([
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
      ]);
    });

    it('validates int-or-percent values', () => {
      const manifest = aDeployment({
        strategy: { rollingUpdate: { maxSurge: 'lots', maxUnavailable: '150%' } },
      });
      expect(invalidLines(DeploymentKind, manifest)).toEqual([
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"lots\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ]);
    });

    it('refuses an unknown strategy type', () => {
      expect(invalidLines(DeploymentKind, aDeployment({ strategy: { type: 'BlueGreen' as never } }))).toEqual(
        ['spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"'],
      );
    });

    it('requires progressDeadlineSeconds to exceed minReadySeconds', () => {
      expect(
        invalidLines(DeploymentKind, aDeployment({ minReadySeconds: 30, progressDeadlineSeconds: 30 })),
      ).toEqual(['spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds']);
    });

    it('requires the pods to restart Always', () => {
      expect(invalidLines(DeploymentKind, aDeployment({ podSpec: { restartPolicy: 'Never' } }))).toEqual([
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      ]);
    });

    it('names the failing container field by index', () => {
      const manifest = aDeployment();
      manifest.spec!.template!.spec!.containers[0] = { name: 'web', image: '' };
      expect(invalidCauses(DeploymentKind, manifest)).toEqual([
        {
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: 'spec.template.spec.containers[0].image',
        },
      ]);
    });
  });
});
