import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SERVER, readConfig, resolveConnection, writeConfig } from '../../../lib/cli/cli-config';

describe('skiff contexts', () => {
  const config = {
    currentContext: 'local',
    contexts: {
      local: { server: 'http://127.0.0.1:9090' },
      prod: { server: 'https://api.example.com/prod', tokenCommand: 'echo secret-token', namespace: 'shop' },
    },
  };

  it('talks to the local control plane when there is no context', () => {
    expect(resolveConnection({}, { contexts: {} }).server).toBe(DEFAULT_SERVER);
  });

  it('uses the current context, a named one, and lets --server win', () => {
    expect(resolveConnection({}, config).server).toBe('http://127.0.0.1:9090');
    expect(resolveConnection({ context: 'prod' }, config)).toMatchObject({
      server: 'https://api.example.com/prod',
      namespace: 'shop',
    });
    expect(resolveConnection({ server: 'http://127.0.0.1:1234' }, config).server).toBe(
      'http://127.0.0.1:1234',
    );
    expect(() => resolveConnection({ context: 'nope' }, config)).toThrow(/context "nope"/);
  });

  it("runs the context's token command once per invocation", async () => {
    const { token } = resolveConnection({ context: 'prod' }, config);
    expect(await token?.()).toBe('secret-token');
  });

  it('writes and reads the file, refusing one that is not a skiff config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-config-'));
    try {
      const path = join(dir, 'nested', 'config.json');
      writeConfig(config, path);
      expect(readConfig(path)).toEqual(config);
      writeConfig({ contexts: { bad: { server: 'not a url' } } } as never, path);
      expect(() => readConfig(path)).toThrow(/is not a skiff config/);
      expect(readFileSync(path, 'utf8')).toContain('not a url');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
