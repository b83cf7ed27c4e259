import { decodeObject } from '../../../lib/kinds/decode';
import { DeploymentKind, type Deployment } from '../../../lib/kinds/deployment';
import { InvalidObjectError, StrictDecodingError } from '../../../lib/kinds/errors';
import { NamespaceKind } from '../../../lib/kinds/namespace';
import { PodKind, type Pod } from '../../../lib/kinds/pod';
import { aDeployment, aNamespace, aPod } from '../../support/builders';
import { invalidCauses } from './decode-helpers';

function withUnknownFields() {
  const manifest = aDeployment() as Record<string, unknown> & ReturnType<typeof aDeployment>;
  return {
    ...manifest,
    spec: {
      ...manifest.spec,
      foo: 1,
      template: {
        ...manifest.spec!.template,
        spec: { ...manifest.spec!.template!.spec!, containers: [{ name: 'web', image: 'nginx', bar: true }] },
      },
    },
    extra: { nested: 1 },
  };
}

describe('decodeObject', () => {
  describe('nulls', () => {
    it('treats null as unset, at any depth', () => {
      const manifest = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } },
        spec: {
          replicas: null,
          selector: { matchLabels: { app: 'web' } },
          strategy: {},
          template: {
            metadata: { creationTimestamp: null, labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx', resources: {}, env: null }] },
          },
        },
        status: null,
      };
      const { object, warnings } = decodeObject(DeploymentKind, manifest);
      const deployment = object as Deployment;
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.metadata).toEqual({ name: 'web', labels: { app: 'web' } });
      expect(deployment.spec.template.spec.containers[0].resources).toEqual({});
      expect(warnings).toEqual([]);
    });

    it('does not modify the input', () => {
      const manifest = { ...aPod(), status: null };
      decodeObject(PodKind, manifest);
      expect(manifest.status).toBeNull();
    });
  });

  describe('unknown fields', () => {
    it('drops them with a warning each by default (Warn), in the order they were written', () => {
      const { object, warnings } = decodeObject(DeploymentKind, withUnknownFields());
      expect(warnings).toEqual([
        'unknown field "spec.template.spec.containers[0].bar"',
        'unknown field "spec.foo"',
        'unknown field "extra"',
      ]);
      expect(object).not.toHaveProperty('extra');
      expect((object as Deployment).spec).not.toHaveProperty('foo');
    });

    it('drops them silently with Ignore', () => {
      expect(
        decodeObject(DeploymentKind, withUnknownFields(), { fieldValidation: 'Ignore' }).warnings,
      ).toEqual([]);
    });

    it("refuses them with Strict, in kube's words", () => {
      const decode = () => decodeObject(DeploymentKind, withUnknownFields(), { fieldValidation: 'Strict' });
      expect(decode).toThrow(StrictDecodingError);
      expect(decode).toThrow(
        'strict decoding error: unknown field "spec.template.spec.containers[0].bar", unknown field "spec.foo", unknown field "extra"',
      );
    });

    it('never flags the keys of maps (labels, annotations, nodeSelector, resources)', () => {
      const pod = aPod({
        labels: { 'app.kubernetes.io/name': 'web' },
        annotations: { note: 'x' },
        spec: { nodeSelector: { 'topology.kubernetes.io/zone': 'eu-west-1a' } },
        requests: { cpu: '1', 'nvidia.com/gpu': '1' },
        limits: { 'nvidia.com/gpu': '1' },
      });
      expect(decodeObject(PodKind, pod, { fieldValidation: 'Strict' }).warnings).toEqual([]);
    });

    it('keeps open objects (securityContext) whole', () => {
      const pod = aPod({
        spec: { securityContext: { runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } } },
      });
      const { object, warnings } = decodeObject(PodKind, pod, { fieldValidation: 'Strict' });
      expect((object as Pod).spec.securityContext).toEqual({
        runAsUser: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(warnings).toEqual([]);
    });
  });

  describe('invalid objects', () => {
    it("uses kube's message for one cause", () => {
      expect(() => decodeObject(DeploymentKind, aDeployment({ replicas: -1 }))).toThrow(
        new InvalidObjectError(DeploymentKind, 'web', [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: -1: must be greater than or equal to 0',
            field: 'spec.replicas',
          },
        ]),
      );
      try {
        decodeObject(DeploymentKind, aDeployment({ replicas: -1 }));
      } catch (error) {
        expect(error).toMatchObject({
          message:
            'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
          kind: 'Deployment',
          group: 'apps',
          objectName: 'web',
        });
      }
    });

    it("joins several causes in brackets, as kube's aggregate does", () => {
      const manifest = aDeployment({ replicas: -1, revisionHistoryLimit: -1 });
      expect(() => decodeObject(DeploymentKind, manifest)).toThrow(
        'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0]',
      );
    });

    it('names core kinds without a group', () => {
      expect(() => decodeObject(PodKind, aPod({ spec: { containers: [] } }))).toThrow(
        'Pod "web-0" is invalid: spec.containers: Required value',
      );
    });

    it('reports wrong types with the value and the expected type', () => {
      expect(invalidCauses(DeploymentKind, aDeployment({ replicas: 'three' as never }))).toEqual([
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "three": must be of type number',
          field: 'spec.replicas',
        },
      ]);
      expect(invalidCauses(DeploymentKind, aDeployment({ replicas: 1.5 }))[0].field).toBe('spec.replicas');
    });

    it('refuses an apiVersion or kind that is not the kind being decoded', () => {
      expect(invalidCauses(DeploymentKind, { ...aDeployment(), kind: 'StatefulSet' })).toEqual([
        {
          reason: 'FieldValueNotSupported',
          message: 'Unsupported value: "StatefulSet": supported values: "Deployment"',
          field: 'kind',
        },
      ]);
    });

    it('fills a missing apiVersion and kind from the kind, as kube does from the URL', () => {
      const { apiVersion: _a, kind: _k, ...bare } = aDeployment();
      const { object } = decodeObject(DeploymentKind, bare);
      expect(object).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
    });

    it('refuses a body that is not an object', () => {
      expect(() => decodeObject(PodKind, [1, 2])).toThrow(InvalidObjectError);
    });
  });

  describe('names', () => {
    it('requires a name or a generateName', () => {
      const pod = aPod();
      delete pod.metadata!.name;
      expect(invalidCauses(PodKind, pod)).toEqual([
        {
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
          field: 'metadata.name',
        },
      ]);
      expect(() => decodeObject(PodKind, { ...pod, metadata: { generateName: 'web-' } })).not.toThrow();
    });

    it('validates generateName as a prefix', () => {
      const pod = aPod();
      delete pod.metadata!.name;
      expect(invalidCauses(PodKind, { ...pod, metadata: { generateName: 'Web-' } })[0]).toMatchObject({
        reason: 'FieldValueInvalid',
        field: 'metadata.generateName',
      });
    });

    it('uses the kind’s name format', () => {
      expect(() => decodeObject(PodKind, aPod({ name: 'web.v1' }))).not.toThrow();
      expect(invalidCauses(NamespaceKind, aNamespace({ name: 'web.v1' }))[0].field).toBe('metadata.name');
      expect(invalidCauses(PodKind, aPod({ name: 'Web' }))[0]).toMatchObject({
        field: 'metadata.name',
        reason: 'FieldValueInvalid',
      });
    });

    it('does not check the namespace (the API sets it from the URL)', () => {
      const pod = aPod();
      delete pod.metadata!.namespace;
      expect(() => decodeObject(PodKind, pod)).not.toThrow();
    });
  });
});
