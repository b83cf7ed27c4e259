import { aDeployment } from '../../support/builders';

/** The builders' Deployment `web` with `spec` over its spec and `container` over its one container. */
export function deploymentWith(spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}) {
  const base = aDeployment();
  const template = base.spec?.template;
  const containers = template?.spec?.containers ?? [];
  return {
    ...base,
    spec: {
      ...base.spec,
      template: {
        ...template,
        spec: { ...template?.spec, containers: [{ ...containers[0], ...container }] },
      },
      ...spec,
    },
  };
}

/** A valid Deployment using types that decode themselves: IntOrString and Quantity. */
export const SELF_DECODING_FIELDS = deploymentWith(
  { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } },
  { resources: { limits: { cpu: 1, memory: '1Gi' } } },
);
