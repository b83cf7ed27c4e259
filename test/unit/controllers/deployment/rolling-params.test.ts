import type { DeploymentStrategy } from '../../../../lib/kinds/deployment';
import type { IntOrString } from '../../../../lib/kinds/int-or-string';
import { resolveRollingParams } from '../../../../lib/controllers/deployment/rolling-params';

const rolling = (maxSurge: IntOrString, maxUnavailable: IntOrString): DeploymentStrategy => ({
  type: 'RollingUpdate',
  rollingUpdate: { maxSurge, maxUnavailable },
});

describe('resolveRollingParams', () => {
  it.each`
    case                                               | strategy                 | replicas | maxSurge | maxUnavailable
    ${'25% of 3: surge rounds up, unavailable down'}   | ${rolling('25%', '25%')} | ${3}     | ${1}     | ${0}
    ${'25% of 10'}                                     | ${rolling('25%', '25%')} | ${10}    | ${3}     | ${2}
    ${'25% of 1'}                                      | ${rolling('25%', '25%')} | ${1}     | ${1}     | ${0}
    ${'25% of 4'}                                      | ${rolling('25%', '25%')} | ${4}     | ${1}     | ${1}
    ${'integers as they are'}                          | ${rolling(2, 1)}         | ${5}     | ${2}     | ${1}
    ${'0% surge and 0% unavailable: 1 unavailable'}    | ${rolling('0%', '0%')}   | ${10}    | ${0}     | ${1}
    ${'0 surge and 0 unavailable: 1 unavailable'}      | ${rolling(0, 0)}         | ${3}     | ${0}     | ${1}
    ${'10% of 5: surge rounds up to 1'}                | ${rolling('10%', '10%')} | ${5}     | ${1}     | ${0}
    ${'percentages rounding both to 0: 1 unavailable'} | ${rolling('0%', '10%')}  | ${5}     | ${0}     | ${1}
    ${'unavailable capped at replicas'}                | ${rolling(0, 7)}         | ${3}     | ${0}     | ${3}
    ${'100% unavailable'}                              | ${rolling('0%', '100%')} | ${4}     | ${0}     | ${4}
    ${'no replicas: nothing unavailable'}              | ${rolling('25%', '25%')} | ${0}     | ${0}     | ${0}
    ${'Recreate has no fenceposts'}                    | ${{ type: 'Recreate' }}  | ${10}    | ${0}     | ${0}
  `('$case', ({ strategy, replicas, maxSurge, maxUnavailable }) => {
    expect(resolveRollingParams(strategy, replicas)).toEqual({ maxSurge, maxUnavailable });
  });
});
