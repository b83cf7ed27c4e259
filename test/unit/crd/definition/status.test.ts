import {
  establishedStatus,
  namesConflictStatus,
  namesStatus,
} from '../../../../lib/kinds/custom-resource-definition';
import { V1, aCRD, decoded } from './a-crd';

const NOW = new Date('2026-12-01T10:00:00.123Z');
const LATER = new Date('2026-12-01T11:00:00Z');

describe('CustomResourceDefinition status helpers (kube naming and establishing controllers)', () => {
  const crd = decoded(aCRD({ names: { plural: 'backups', kind: 'Backup', shortNames: ['bk'] } }));

  it('accepts the names and establishes a CRD without conflicts', () => {
    expect(establishedStatus(crd, NOW)).toEqual({
      acceptedNames: {
        plural: 'backups',
        singular: 'backup',
        kind: 'Backup',
        listKind: 'BackupList',
        shortNames: ['bk'],
      },
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          reason: 'NoConflicts',
          message: 'no conflicts found',
          lastTransitionTime: '2026-12-01T10:00:00Z',
        },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
          lastTransitionTime: '2026-12-01T10:00:00Z',
        },
      ],
      storedVersions: ['v1'],
    });
  });

  it('keeps the old stored versions, adds a new storage version, and keeps transition times', () => {
    const first = { ...crd, status: establishedStatus(crd, NOW) };
    const moved = decoded(
      aCRD({
        versions: [
          { ...V1, storage: false },
          { ...V1, name: 'v2' },
        ],
      }),
    );
    const status = establishedStatus({ ...moved, status: first.status }, LATER);
    expect(status.storedVersions).toEqual(['v1', 'v2']);
    expect(status.conditions?.map((c) => c.lastTransitionTime)).toEqual([
      '2026-12-01T10:00:00Z',
      '2026-12-01T10:00:00Z',
    ]);
  });

  it("reports a taken name with kube's reason and leaves a new CRD unestablished", () => {
    const status = namesConflictStatus(crd, '"bk" is already in use', NOW);
    expect(status.conditions).toEqual([
      {
        type: 'NamesAccepted',
        status: 'False',
        reason: 'ShortNamesConflict',
        message: '"bk" is already in use',
        lastTransitionTime: '2026-12-01T10:00:00Z',
      },
      {
        type: 'Established',
        status: 'False',
        reason: 'NotAccepted',
        message: 'not all names are accepted',
        lastTransitionTime: '2026-12-01T10:00:00Z',
      },
    ]);
    expect(status.storedVersions).toEqual(['v1']);
  });

  it('keeps an established CRD established when a new name conflicts', () => {
    const live = { ...crd, status: establishedStatus(crd, NOW) };
    const status = namesConflictStatus(
      live,
      { reason: 'KindConflict', message: '"Backup" is already in use' },
      LATER,
    );
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['NamesAccepted', 'False', 'KindConflict'],
      ['Established', 'True', 'InitialNamesAccepted'],
    ]);
    expect(status.acceptedNames).toEqual(live.status.acceptedNames);
  });

  it('accepts the free names and keeps the old accepted one that conflicts (namesStatus)', () => {
    const taken = { resources: new Set(['snapshots']), kinds: new Set<string>() };
    const live = { ...crd, status: establishedStatus(crd, NOW) };
    const renamed = decoded(
      aCRD({ names: { plural: 'backups', singular: 'snapshots', kind: 'Backup', shortNames: ['b'] } }),
    );
    const status = namesStatus({ ...renamed, status: live.status }, taken, LATER);
    expect(status.acceptedNames).toMatchObject({ singular: 'backup', shortNames: ['b'] });
    expect(status.conditions?.[0]).toMatchObject({
      type: 'NamesAccepted',
      status: 'False',
      reason: 'SingularConflict',
      message: '"snapshots" is already in use',
    });
  });

  it('establishes a CRD whose names are all free (namesStatus)', () => {
    const status = namesStatus(crd, { resources: new Set(['other']), kinds: new Set(['Other']) }, NOW);
    expect(status).toEqual(establishedStatus(crd, NOW));
  });
});
