import { bodyAttribute, bodyOf, COMPRESS_ABOVE_BYTES } from '../../../lib/store/stored-body';
import { logItemOf, recordOfLogItem } from '../../../lib/store/change-log/log-item';
import type { KubeObject } from '../../../lib/kinds/meta';

const NAMES = { plain: 'body', gzipped: 'bodyGz' };

describe('stored bodies', () => {
  it('keeps a small body as a string', () => {
    const json = JSON.stringify({ a: 'b' });
    expect(bodyAttribute(json, NAMES)).toEqual({ body: { S: json } });
    expect(bodyOf(bodyAttribute(json, NAMES), NAMES)).toBe(json);
  });

  it('gzips a large body, several times smaller, and reads it back from bytes or from base64 (a Lambda stream image)', () => {
    const json = JSON.stringify({ lines: Array.from({ length: 4000 }, (_, i) => `line ${i} of a schema`) });
    expect(json.length).toBeGreaterThan(COMPRESS_ABOVE_BYTES);
    const stored = bodyAttribute(json, NAMES);
    const bytes = stored.bodyGz.B as Uint8Array;
    expect(stored.body).toBeUndefined();
    expect(bytes.byteLength * 5).toBeLessThan(json.length);
    expect(bodyOf(stored, NAMES)).toBe(json);
    expect(bodyOf({ bodyGz: { B: Buffer.from(bytes).toString('base64') } }, NAMES)).toBe(json);
  });

  it('answers undefined for an item with neither attribute', () => {
    expect(bodyOf({ other: { S: 'x' } }, NAMES)).toBeUndefined();
  });

  it('carries a large object through a change-log record', () => {
    const object: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'large', namespace: 'default' },
      data: { blob: 'schema line\n'.repeat(10_000) },
    };
    const item = logItemOf(
      { revision: 7, type: 'ADDED', kindKey: 'core/ConfigMap', namespace: 'default', name: 'large', object },
      3600,
      Date.now(),
    );
    expect(item.body).toBeUndefined();
    expect(recordOfLogItem(item)).toMatchObject({ revision: 7, type: 'ADDED', object });
  });
});
