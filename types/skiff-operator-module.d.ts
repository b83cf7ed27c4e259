// The operator module an Operator construct bundles into its function (infra/constructs/operator.ts
// points esbuild's alias at the user's file). Its export is checked at cold start, so it is typed
// as nothing more than what a module exports.
declare module 'skiff-operator-module' {
  const operator: unknown;
  export default operator;
}
