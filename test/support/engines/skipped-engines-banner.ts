import type { SkippedEngine } from './start-engines';

/**
 * A banner nobody scrolls past, for a local run that goes on without some engines: tests that
 * passed on the engines present say nothing about the missing ones.
 */
export function skippedEnginesBanner(skipped: readonly SkippedEngine[]): string {
  const rule = '!'.repeat(100);
  const lines = [
    '',
    rule,
    `!!!  TEST ENGINES SKIPPED: ${skipped.map((engine) => engine.name).join(', ')}`,
    '!!!  Tests run WITHOUT them; in CI (CI=true) this fails the run. Reasons below; npm run engines:fetch installs them.',
    rule,
  ];
  for (const engine of skipped) {
    lines.push(`!!!  ${engine.name}:`);
    for (const line of engine.reason.split('\n').slice(-15)) lines.push(`!!!    ${line}`);
  }
  lines.push(rule, '');
  return lines.join('\n');
}
