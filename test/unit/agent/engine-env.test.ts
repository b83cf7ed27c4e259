import { engineEnv, engineEnvArgs } from '../../../lib/agent/runtime/oci/engine-env';

describe("a container's env for an engine CLI", () => {
  it('puts single-line values in the env file exactly, blanks and equals signs included', () => {
    const env = engineEnv({ PLAIN: 'x', SPACED: ' a = b ', EMPTY: '' });
    expect(env.fileText).toBe('PLAIN=x\nSPACED= a = b \nEMPTY=\n');
    expect(env.byName).toEqual({});
  });

  it('passes by name what the file format cannot hold: line breaks, a leading # or blank', () => {
    const env = engineEnv({ PEM: 'line1\nline2', CR: 'a\rb', '#HASH': 'x', ' LEAD': 'y', OK: 'z' });
    expect(env.fileText).toBe('OK=z\n');
    expect(env.byName).toEqual({ PEM: 'line1\nline2', CR: 'a\rb', '#HASH': 'x', ' LEAD': 'y' });
  });

  it('names values only, never puts them on the command line', () => {
    const env = engineEnv({ SECRET: 'hunter2', MULTI: 'top\nsecret' });
    const args = engineEnvArgs(env, '/data/.0.env');
    expect(args).toEqual(['--env-file', '/data/.0.env', '-e', 'MULTI']);
    expect(args.join(' ')).not.toMatch(/hunter2|secret/);
  });
});
