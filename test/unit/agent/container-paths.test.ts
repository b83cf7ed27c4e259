import { attemptsIn, ContainerPaths } from '../../../lib/agent/runtime/container-paths';

describe("a container's files under the node's data folder", () => {
  const paths = new ContainerPaths('/data');

  it('are one folder per pod and container, a log and a record per attempt', () => {
    const ref = { podUid: '0b4f6c1e-uid', container: 'web' };
    expect(paths.logFile(ref, 3)).toBe('/data/pods/0b4f6c1e-uid/web/3.log');
    expect(paths.stateFile(ref, 3)).toBe('/data/pods/0b4f6c1e-uid/web/3.state.json');
    expect(paths.workDir(ref)).toBe('/data/pods/0b4f6c1e-uid/web/work');
  });

  it('refuse names that would leave their folder', () => {
    expect(() => paths.containerDir({ podUid: '..', container: 'web' })).toThrow(/safe path segment/);
    expect(() => paths.containerDir({ podUid: 'pod', container: 'a/b' })).toThrow(/safe path segment/);
  });

  it('order attempts by number, so attempt 10 comes after 9', () => {
    expect(attemptsIn(['10.log', '9.log', 'work', '2.state.json', 'x.log'], '.log')).toEqual([9, 10]);
  });
});
