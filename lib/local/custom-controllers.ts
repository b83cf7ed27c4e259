import type { Controller } from '../controllers/controller';
import { garbageCollectorFor } from '../controllers/garbage-collector/garbage-collector';
import type { KindRegistry } from '../kinds/kind-registry';
import { operatorController, type OperatorControllerOptions } from '../operators/operator-controller';
import type { OperatorSpec } from '../operators/operator-spec';
import { resolveOperator } from '../operators/resolve-operator';

/**
 * The controllers the local control plane gains while it runs: a garbage collector for each custom
 * kind (so deleting a custom object deletes what it owns, as kube's collector covers every
 * resource) and the loaded operators whose resources the API serves. Rebuilt when the registry's
 * custom kinds or the operators change, and the same array answered until then (the dispatcher
 * keeps what it derives per list).
 */
export class CustomControllers {
  private operators: readonly OperatorSpec[] = [];
  private operatorsVersion = 0;
  private built:
    { generation: number; operatorsVersion: number; controllers: readonly Controller[] } | undefined;
  private readonly waiting = new Map<string, string>();

  constructor(
    private readonly registry: KindRegistry,
    private readonly options: Omit<OperatorControllerOptions, 'events'> & {
      events: (operator: string) => OperatorControllerOptions['events'];
      /** Told of each rebuild with the operators' controllers, to sync their parents. */
      onOperators?: (controllers: readonly Controller[]) => void;
      log?: (message: string) => void;
    },
  ) {}

  /** Replaces the loaded operators (a load or reload of the operator path). */
  setOperators(operators: readonly OperatorSpec[]): void {
    this.operators = operators;
    this.operatorsVersion++;
    this.current();
  }

  /**
   * From now on there are none: the local control plane is stopping and its API no longer answers,
   * so records still delivered wake no operator (each syncs its parents again at the next start).
   */
  stop(): void {
    this.stopped = true;
  }

  private stopped = false;
  private static readonly NONE: readonly Controller[] = [];

  /** The controllers for the registry's kinds and the operators now. */
  current(): readonly Controller[] {
    if (this.stopped) return CustomControllers.NONE;
    const generation = this.registry.generation;
    if (this.built?.generation === generation && this.built.operatorsVersion === this.operatorsVersion)
      return this.built.controllers;
    const collectors = this.registry.storedCustomKinds.map(garbageCollectorFor);
    const operators: Controller[] = [];
    for (const spec of this.operators) {
      const resolved = resolveOperator(spec, this.registry);
      if ('missing' in resolved) {
        if (this.waiting.get(spec.name) !== resolved.missing)
          this.options.log?.(`operator ${spec.name} waits for ${resolved.missing} to be served`);
        this.waiting.set(spec.name, resolved.missing);
        continue;
      }
      this.waiting.delete(spec.name);
      operators.push(
        operatorController(resolved.operator, { ...this.options, events: this.options.events(spec.name) }),
      );
    }
    this.built = {
      generation,
      operatorsVersion: this.operatorsVersion,
      controllers: [...collectors, ...operators],
    };
    if (operators.length > 0) this.options.onOperators?.(operators);
    return this.built.controllers;
  }
}
