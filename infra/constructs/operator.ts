import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SKIFF_API_URL, SKIFF_CLUSTER_NAME } from '../../lib/config/env-names';
import type { DefinitionView } from '../../lib/crd/custom-kind';
import { newKindRegistry } from '../../lib/kinds/registry';
import { kindKeyOf } from '../../lib/store/object-item';
import { parentKindOf, SKIFF_OPERATOR_PARENT } from '../../lib/operators/operator-function';
import type { ObjectApi } from './object-api';
import type { ObjectTable } from './object-table';
import { OperatorFanOut } from './operator-fan-out';
import { SkiffFunction } from './skiff-function';
import { acknowledgeOperatorNagFindings } from '../nag-acknowledgments';

export interface OperatorProps {
  /** The control plane the operator extends: its table's stream wakes it, its API serves it. */
  skiff: { objects: ObjectTable; api: ObjectApi; clusterName: string };
  /** The parent kind's CustomResourceDefinition (the object, e.g. parsed from its YAML). */
  crd: DefinitionView;
  /**
   * The operator's module (absolute, or relative to the working directory): what
   * `npm start -- --operators` loads, its default export an operator (docs/operators.md).
   */
  handler: string;
  /** The kinds of its children (built-in kinds), e.g. `{ apiVersion: 'apps/v1', kind: 'Deployment' }`. */
  childKinds: readonly { apiVersion: string; kind: string }[];
  /** Names its user (`skiff:operator:<name>`); default the construct id in lower case. */
  name?: string;
  /** Default 256 MB. */
  memorySize?: number;
  /** Default 30 s: one batch of its records, hooks and API calls included. */
  timeout?: Duration;
}

/**
 * An operator on AWS: its module bundled into a function (functions/operator) that the operators'
 * one stream reader (OperatorFanOut) invokes with the records of its kinds: every record of its
 * parent kind and the collection records of its child kinds, with the built-in controllers'
 * retries, bisecting and dead-letter queue. It reaches objects only through the API, as
 * `skiff:operator:<name>`, allowed its parents, their status, its child kinds and Events, and
 * nothing else (lib/operators/operator-access.ts); its role holds no table access.
 *
 * Idle, it costs nothing: no tick, no poller of its own, no alarm (docs/operators.md, cost).
 */
export class Operator extends Construct {
  readonly function: SkiffFunction;

  constructor(scope: Construct, id: string, props: OperatorProps) {
    super(scope, id);
    const parent = parentKindOf(props.crd);
    const registry = newKindRegistry();
    const children = props.childKinds.map(({ apiVersion, kind }) => {
      const info = registry.findByKind(apiVersion, kind);
      if (!info) throw new Error(`Operator ${id}: ${kind} (${apiVersion}) is not a built-in kind`);
      return info;
    });
    const name = props.name ?? id.toLowerCase();
    this.function = new SkiffFunction(this, 'Function', {
      entry: 'functions/operator/handler.ts',
      description: `Skiff operator ${name}`,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      environment: {
        [SKIFF_API_URL]: props.skiff.api.restApi.url,
        [SKIFF_CLUSTER_NAME]: props.skiff.clusterName,
        [SKIFF_OPERATOR_PARENT]: JSON.stringify(parent),
      },
      alias: { 'skiff-operator-module': path.resolve(props.handler) },
    });
    acknowledgeOperatorNagFindings(this);
    props.skiff.api.trustOperator({
      name,
      roleArn: this.function.role!.roleArn, // a NodejsFunction always has its own role
      parent: { group: parent.group, plural: parent.plural },
      children: children.map((child) => ({ group: child.group, plural: child.plural })),
    });
    OperatorFanOut.of(this, props.skiff.objects).route(this.function, {
      kindKeys: [`${parent.group}/${parent.kind}`],
      collectionKindKeys: children.map(kindKeyOf),
    });
  }
}
