import * as z from 'zod';
import { forbidden, requiredValue } from './field-error';
import { int64, nonNegativeInt32 } from './int32';
import { portNumber, portNumberOrName } from './port';

/**
 * v1.Probe: how the agent checks a container (liveness, readiness, startup), with Kubernetes'
 * defaults (timeout 1s, period 10s, success 1, failure 3) and its one-handler rule.
 */
export const HTTPHeader = z.object({ name: z.string().min(1), value: z.string() });

export const HTTPGetAction = z.object({
  path: z.string().default('/'),
  port: portNumberOrName,
  host: z.string().optional(),
  scheme: z.enum(['HTTP', 'HTTPS']).default('HTTP'),
  httpHeaders: z.array(HTTPHeader).optional(),
});

export const TCPSocketAction = z.object({ port: portNumberOrName, host: z.string().optional() });

export const ExecAction = z.object({ command: z.array(z.string()).optional() });

export const GRPCAction = z.object({ port: portNumber, service: z.string().optional() });

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

export const Probe = z
  .object({
    exec: ExecAction.optional(),
    httpGet: HTTPGetAction.optional(),
    tcpSocket: TCPSocketAction.optional(),
    grpc: GRPCAction.optional(),
    initialDelaySeconds: nonNegativeInt32.optional(),
    timeoutSeconds: nonNegativeInt32.default(1),
    periodSeconds: nonNegativeInt32.default(10),
    successThreshold: nonNegativeInt32.default(1),
    failureThreshold: nonNegativeInt32.default(3),
    terminationGracePeriodSeconds: int64.min(1).optional(),
  })
  .superRefine((probe, ctx) => {
    const present = HANDLERS.filter((handler) => probe[handler] !== undefined);
    if (present.length === 0)
      ctx.addIssue({ code: 'custom', message: requiredValue('must specify a handler type') });
    for (const extra of present.slice(1))
      ctx.addIssue({
        code: 'custom',
        path: [extra],
        message: forbidden('may not specify more than 1 handler type'),
      });
  });
export type Probe = z.infer<typeof Probe>;
