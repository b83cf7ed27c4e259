import type { ChangeEntry } from '../../../lib/store/change-log/change-entry';
import { logItemOf, recordOfLogItem, storedRecordOfLogItem } from '../../../lib/store/change-log/log-item';

const update: ChangeEntry = {
  revision: 42,
  type: 'MODIFIED',
  kindKey: 'core/ConfigMap',
  namespace: 'team-a',
  name: 'settings',
  object: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { namespace: 'team-a', name: 'settings', resourceVersion: '42', labels: { app: 'web' } },
  },
  previous: {
    labels: { app: 'api' },
    fields: { 'metadata.name': 'settings', 'metadata.namespace': 'team-a' },
  },
};

describe('change-log items', () => {
  it('keeps an unconfirmed record without a type, so a reader that predates it fails instead of delivering it', () => {
    const item = logItemOf(update, 3600, 0, undefined, { replaces: 41, unconfirmed: true });

    expect(item.type).toBeUndefined();
    expect(storedRecordOfLogItem(item)).toEqual({ record: update, replaces: 41, unconfirmed: true });
  });

  it('reads a confirmed record with the revision it replaced, and without the unconfirmed mark', () => {
    const item = logItemOf(update, 3600, 0, undefined, { replaces: 41 });

    expect(item.type).toEqual({ S: 'MODIFIED' });
    expect(storedRecordOfLogItem(item)).toEqual({ record: update, replaces: 41 });
  });

  it("stores an update's previous view without the name and namespace, which an update cannot change", () => {
    const item = logItemOf(update, 3600, 0);

    expect(JSON.parse(item.previous?.S ?? '')).toEqual({ labels: { app: 'api' }, fields: {} });
    expect(recordOfLogItem(item)).toEqual(update);
  });
});
