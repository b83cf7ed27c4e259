import { commandLine, MissingCommandError } from '../../../lib/agent/runtime/command-line';

describe("a container's command line, by Kubernetes' rules for command and args", () => {
  const image = { entrypoint: ['/entry'], cmd: ['--default'] };

  it.each([
    [
      'command and args run together',
      { command: ['node'], args: ['server.js'] },
      image,
      ['node', 'server.js'],
    ],
    ['command alone drops the image CMD', { command: ['sh', '-c', 'true'] }, image, ['sh', '-c', 'true']],
    ['args alone replace CMD after the entrypoint', { args: ['--port=80'] }, image, ['/entry', '--port=80']],
    ['neither runs the image defaults', {}, image, ['/entry', '--default']],
    ['an empty command counts as unset', { command: [], args: ['x'] }, image, ['/entry', 'x']],
    [
      'without an image, command and args',
      { command: ['node'], args: ['-e', '1'] },
      undefined,
      ['node', '-e', '1'],
    ],
  ])('%s', (_case, spec, defaults, expected) => {
    expect(commandLine('app', spec, defaults)).toEqual(expected);
  });

  it('requires a command when there is no image, saying why', () => {
    expect(() => commandLine('app', { args: ['server.js'] })).toThrow(MissingCommandError);
    expect(() => commandLine('app', { args: ['server.js'] })).toThrow(/"app".*`command` is required/);
  });

  it('refuses an image and pod that name nothing to run', () => {
    expect(() => commandLine('app', {}, {})).toThrow(MissingCommandError);
  });
});
