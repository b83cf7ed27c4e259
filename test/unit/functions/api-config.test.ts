import { loadApiConfig } from '../../../lib/config/api-config';
import {
  AWS_REGION,
  SKIFF_LAUNCH_TEMPLATE_ID,
  SKIFF_SUBNETS,
  SKIFF_TABLE_NAME,
} from '../../../lib/config/env-names';
import { ConfigError } from '../../../lib/config/parse-env';

// Lives beside the API function's tests: it is that function's cold-start configuration.
describe('API function configuration', () => {
  it('reads the object table name', () => {
    expect(loadApiConfig({ [SKIFF_TABLE_NAME]: 'skiff-objects' })).toEqual({ tableName: 'skiff-objects' });
  });

  it('names the variable when the table name is missing', () => {
    expect(() => loadApiConfig({})).toThrow(ConfigError);
    expect(() => loadApiConfig({})).toThrow(`${SKIFF_TABLE_NAME} is required`);
  });

  it('refuses an empty table name', () => {
    expect(() => loadApiConfig({ [SKIFF_TABLE_NAME]: '' })).toThrow(`${SKIFF_TABLE_NAME} must not be empty`);
  });
  it('reads the dry run: launch template, subnets and region, where the stack enabled it', () => {
    expect(
      loadApiConfig({
        [SKIFF_TABLE_NAME]: 'skiff-objects',
        [SKIFF_LAUNCH_TEMPLATE_ID]: 'lt-0123',
        [SKIFF_SUBNETS]: 'subnet-0a:us-east-1a,subnet-0b:us-east-1b',
        [AWS_REGION]: 'us-east-1',
      }),
    ).toEqual({
      tableName: 'skiff-objects',
      dryRun: {
        launchTemplateId: 'lt-0123',
        subnets: [
          { subnetId: 'subnet-0a', zone: 'us-east-1a' },
          { subnetId: 'subnet-0b', zone: 'us-east-1b' },
        ],
        region: 'us-east-1',
      },
    });
  });

  it('refuses a dry run without a region, and a malformed subnet', () => {
    const env = { [SKIFF_TABLE_NAME]: 'skiff-objects', [SKIFF_LAUNCH_TEMPLATE_ID]: 'lt-0123' };
    expect(() => loadApiConfig(env)).toThrow(`${AWS_REGION} is required for the dry run`);
    expect(() => loadApiConfig({ ...env, [AWS_REGION]: 'us-east-1', [SKIFF_SUBNETS]: 'us-east-1a' })).toThrow(
      '"us-east-1a" is not subnet-id:zone',
    );
  });
});
