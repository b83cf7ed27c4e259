import { goArch, SERVER_VERSION } from '../../../lib/api/server-version';

describe('/version', () => {
  it("names the architecture as Go does, as kube's platform field does", () => {
    expect(goArch('x64')).toBe('amd64');
    expect(goArch('ia32')).toBe('386');
    expect(goArch('arm64')).toBe('arm64');
    expect(SERVER_VERSION.platform).toBe(`${process.platform}/${goArch(process.arch)}`);
    expect(SERVER_VERSION.platform).not.toMatch(/x64/);
  });
});
