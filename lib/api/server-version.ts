/** Node's name of an architecture as Go's GOARCH spells it, which kube's `/version` reports (`linux/amd64`). */
export function goArch(nodeArch: string): string {
  const names: Partial<Record<string, string>> = { x64: 'amd64', ia32: '386' };
  return names[nodeArch] ?? nodeArch;
}

/**
 * What `/version` reports. Skiff speaks the Kubernetes 1.32 API surface it implements; kubectl
 * compares minor versions to warn about skew, so the minor tracks the API Skiff is tested against.
 */
export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-skiff.0.1.0',
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '2026-11-20T00:00:00Z',
  goVersion: 'n/a',
  compiler: 'n/a',
  platform: `${process.platform}/${goArch(process.arch)}`,
};
