/**
 * Runtime cost limits on CEL rules, as kube-apiserver has them (k8s.io/apiserver/pkg/apis/cel
 * config.go): one rule's evaluation may cost at most PER_CALL_LIMIT, and all the rules of one
 * object at most PER_OBJECT_BUDGET. Without them a custom resource could make its CRD's rules run
 * for minutes (`self.all(x, self.all(y, ...))` over a list of 100,000 items) and stall the API.
 *
 * Cost here is the number of expression nodes cel-js evaluates (each step of a macro over a list
 * is at least one), close to cel-go's actual cost of one unit per operation, though not the same
 * figure: a rule near kube's limit may pass on one and fail on the other. Since one node can itself
 * be slow (`x in list` walks the list), a rule's evaluation also stops at WALL_CLOCK_LIMIT_MS,
 * which kube has no need for; that is the one limit that depends on the machine.
 *
 * cel-js has no cost hook: this counts by wrapping the `run` method its evaluator calls for every
 * child node (found through the first evaluation's evaluator). @marcbachmann/cel-js is pinned, and
 * test/unit/crd/cel-cost.test.ts fails if a version stops calling it.
 */

/** kube's PerCallLimit: one rule's evaluation. */
export const PER_CALL_LIMIT = 1_000_000;
/** kube's RuntimeCELCostBudget: every rule of one object's validation together. */
export const PER_OBJECT_BUDGET = 10_000_000;
/** A rule's evaluation stops this long after it started, whatever its count. */
export const WALL_CLOCK_LIMIT_MS = 1_000;

/** cel-go's error for a call past its limit, which kube quotes. */
export class CostLimitExceededError extends Error {
  constructor() {
    super('operation cancelled: actual cost limit exceeded');
    this.name = 'CostLimitExceededError';
  }
}

/** The evaluation being metered: cel-js evaluates synchronously, so there is at most one. */
interface Meter {
  remaining: number;
  deadline: number;
  /** Set at the first limit reached: every node after it throws too (CEL's macros absorb errors). */
  tripped: boolean;
}
let active: Meter | undefined;

/** How often the clock is read, in nodes (a power of two minus one, as a mask). */
const CLOCK_MASK = 15;
let nodes = 0;

interface EvaluatorPrototype {
  run(this: unknown, ast: unknown, context: unknown): unknown;
}
const METERED = Symbol('skiff.celMetered');

/** Wraps the evaluator class's `run` once, so every node evaluation is counted. */
function meterEvaluator(evaluator: object): void {
  const prototype = Object.getPrototypeOf(evaluator) as EvaluatorPrototype & { [METERED]?: true };
  if (prototype[METERED]) return;
  const run = prototype.run;
  prototype.run = function (ast, context) {
    if (active) {
      const late = (++nodes & CLOCK_MASK) === 0 && performance.now() > active.deadline;
      if (--active.remaining < 0 || late || active.tripped) {
        active.tripped = true;
        throw new CostLimitExceededError();
      }
    }
    return run.call(this, ast, context);
  };
  prototype[METERED] = true;
}

/** A parsed cel-js program: callable, with its root node. */
export interface MeteredProgram {
  (bindings: Record<string, unknown>): unknown;
  ast: { evaluate: (evaluator: object, ...rest: unknown[]) => unknown };
}

/**
 * Evaluates `program` with at most `limit` nodes (and WALL_CLOCK_LIMIT_MS), returning its result
 * and what it cost; throws CostLimitExceededError past either, or what the program throws.
 */
export function evaluateMetered(
  program: MeteredProgram,
  bindings: Record<string, unknown>,
  limit: number,
): { result: unknown; cost: number } {
  const root = program.ast;
  if (!(root as { [METERED]?: true })[METERED]) {
    const evaluate = root.evaluate;
    root.evaluate = function (evaluator: object, ...rest: unknown[]) {
      meterEvaluator(evaluator);
      return evaluate.call(this, evaluator, ...rest);
    };
    (root as { [METERED]?: true })[METERED] = true;
  }
  // The root node is evaluated without `run`: it costs one.
  const meter: Meter = {
    remaining: limit - 1,
    deadline: performance.now() + WALL_CLOCK_LIMIT_MS,
    tripped: false,
  };
  if (meter.remaining < 0) throw new CostLimitExceededError();
  const outer = active;
  active = meter;
  try {
    const result = program(bindings);
    // `all` and `exists` absorb a step's error when another element decides the answer.
    if (meter.tripped) throw new CostLimitExceededError();
    return { result, cost: limit - meter.remaining };
  } finally {
    active = outer;
  }
}

/** What is left of one object's budget as its rules run, and whether they must stop. */
export interface CostBudget {
  remaining: number;
  /** Set once a limit is reached: kube runs no further rule of the object. */
  exhausted: boolean;
}

export function objectCostBudget(): CostBudget {
  return { remaining: PER_OBJECT_BUDGET, exhausted: false };
}
