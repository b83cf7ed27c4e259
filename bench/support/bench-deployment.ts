import { aContainer, aDeployment } from '../../test/support/builders';

/**
 * The Deployment both benchmarks write: one nginx container with a port and resource requests,
 * typical of what users apply, built from the tests' builders.
 */
export function benchDeployment(options: {
  name: string;
  namespace?: string;
  replicas?: number;
  image?: string;
  bench: string;
}) {
  const { name, namespace, replicas = 1, image = 'nginx:1.27', bench } = options;
  return aDeployment({
    name,
    namespace,
    replicas,
    labels: { app: name, bench },
    podSpec: {
      containers: [
        aContainer({
          name: 'web',
          image,
          ports: [{ containerPort: 80 }],
          requests: { cpu: '250m', memory: '128Mi' },
          limits: { memory: '256Mi' },
        }),
      ],
    },
  });
}
