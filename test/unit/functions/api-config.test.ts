import { loadApiConfig } from '../../../lib/config/api-config';
import { SKIFF_TABLE_NAME } from '../../../lib/config/env-names';
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
});
