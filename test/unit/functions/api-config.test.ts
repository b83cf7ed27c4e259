import { loadApiConfig } from '../../../lib/config/api-config';
import {
  SKIFF_DRY_RUN,
  SKIFF_SERVICE_CIDR,
  SKIFF_SUBNETS,
  SKIFF_TABLE_NAME,
} from '../../../lib/config/env-names';
import { ConfigError } from '../../../lib/config/parse-env';

// Lives beside the API function's tests: it is that function's cold-start configuration.
describe('API function configuration', () => {
  it('reads the object table name', () => {
    expect(loadApiConfig({ [SKIFF_TABLE_NAME]: 'skiff-objects' })).toEqual({
      tableName: 'skiff-objects',
      serviceCidr: '10.96.0.0/12',
    });
  });

  it('names the variable when the table name is missing', () => {
    expect(() => loadApiConfig({})).toThrow(ConfigError);
    expect(() => loadApiConfig({})).toThrow(`${SKIFF_TABLE_NAME} is required`);
  });

  it('refuses an empty table name', () => {
    expect(() => loadApiConfig({ [SKIFF_TABLE_NAME]: '' })).toThrow(`${SKIFF_TABLE_NAME} must not be empty`);
  });

  it('reads the dry run, where the stack enabled it: the subnets’ zones, each once', () => {
    expect(
      loadApiConfig({
        [SKIFF_TABLE_NAME]: 'skiff-objects',
        [SKIFF_DRY_RUN]: 'true',
        [SKIFF_SUBNETS]: 'subnet-0a:us-east-1a,subnet-0b:us-east-1b,subnet-0c:us-east-1a',
      }),
    ).toEqual({
      tableName: 'skiff-objects',
      serviceCidr: '10.96.0.0/12',
      dryRun: { zones: ['us-east-1a', 'us-east-1b'] },
    });
  });

  it('plans in every zone when the stack has no subnets (the default VPC)', () => {
    expect(loadApiConfig({ [SKIFF_TABLE_NAME]: 'skiff-objects', [SKIFF_DRY_RUN]: 'true' })).toEqual({
      tableName: 'skiff-objects',
      serviceCidr: '10.96.0.0/12',
      dryRun: { zones: [] },
    });
  });

  it('serves no dry run unless the flag is true, and refuses a flag that is not a boolean or a malformed subnet', () => {
    const env = { [SKIFF_TABLE_NAME]: 'skiff-objects', [SKIFF_SUBNETS]: 'subnet-0a:us-east-1a' };
    const withoutDryRun = { tableName: 'skiff-objects', serviceCidr: '10.96.0.0/12' };
    expect(loadApiConfig(env)).toEqual(withoutDryRun);
    expect(loadApiConfig({ ...env, [SKIFF_DRY_RUN]: 'false' })).toEqual(withoutDryRun);
    expect(() => loadApiConfig({ ...env, [SKIFF_DRY_RUN]: 'yes' })).toThrow(
      `${SKIFF_DRY_RUN} must be true or false`,
    );
    expect(() => loadApiConfig({ ...env, [SKIFF_DRY_RUN]: 'true', [SKIFF_SUBNETS]: 'us-east-1a' })).toThrow(
      '"us-east-1a" is not subnet-id:zone',
    );
  });

  it("reads the service CIDR, kube-apiserver's default 10.96.0.0/12 when unset, and refuses one that is not IPv4", () => {
    const env = { [SKIFF_TABLE_NAME]: 'skiff-objects' };
    expect(loadApiConfig({ ...env, [SKIFF_SERVICE_CIDR]: '172.20.0.0/16' }).serviceCidr).toBe(
      '172.20.0.0/16',
    );
    expect(() => loadApiConfig({ ...env, [SKIFF_SERVICE_CIDR]: 'fd00::/108' })).toThrow(
      'fd00::/108 is not an IPv4 CIDR such as 10.96.0.0/12',
    );
    expect(() => loadApiConfig({ ...env, [SKIFF_SERVICE_CIDR]: '10.0.0.0/31' })).toThrow(
      '10.0.0.0/31 must have a prefix length from 8 to 30',
    );
  });
});
