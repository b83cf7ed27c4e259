import type { NodeProvider } from '../../cloud/node-provider';
import type { CatalogueCache } from './catalogue-cache';

/** What every step of a claim's reconcile shares: the provider, its cached catalogue and the settings. */
export interface ClaimEnvironment {
  provider: NodeProvider;
  catalogue: CatalogueCache;
  clusterName: string;
  registrationTimeoutSeconds: number;
  /** Zones on-demand fallbacks are offered in; from the catalogue when unset (launchZones). */
  zones?: readonly string[];
}

/** Put on every claim by the scheduler; the controller removes it once the instance and Node are gone. */
export { TERMINATION_FINALIZER } from '../../kinds/node-claim';
