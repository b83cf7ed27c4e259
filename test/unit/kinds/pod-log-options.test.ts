import { decodeLogQuery, logQueryString, LogQueryDecodeError } from '../../../lib/kinds/pod-log-options';

describe('PodLogOptions from a query (kube decoding and ValidatePodLogOptions)', () => {
  it('reads booleans as Go does and integers, and nothing more than asked', () => {
    expect(decodeLogQuery({ follow: 'true', previous: '1', timestamps: 'F', tailLines: '10' })).toEqual({
      query: { follow: true, previous: true, timestamps: false, tailLines: 10 },
      problems: [],
    });
    expect(decodeLogQuery({}).query).toEqual({ follow: false, previous: false, timestamps: false });
  });

  it("reads the kubelet's legacy tail, where all means no limit", () => {
    expect(decodeLogQuery({ tail: '5' }).query.tailLines).toBe(5);
    expect(decodeLogQuery({ tail: 'all' }).query.tailLines).toBeUndefined();
  });

  it.each([
    [{ follow: 'yes' }, 'follow'],
    [{ tailLines: '1.5' }, 'tailLines'],
    [{ limitBytes: 'lots' }, 'limitBytes'],
    [{ sinceSeconds: '10s' }, 'sinceSeconds'],
    [{ sinceTime: 'yesterday' }, 'sinceTime'],
  ])('refuses %j as undecodable, naming %s', (raw, field) => {
    expect(() => decodeLogQuery(raw)).toThrow(LogQueryDecodeError);
    expect(() => decodeLogQuery(raw)).toThrow(expect.objectContaining({ field }));
  });

  it.each([
    [{ tailLines: '-1' }, 'tailLines', 'Invalid value: -1: must be greater than or equal to 0'],
    [{ limitBytes: '0' }, 'limitBytes', 'Invalid value: 0: must be greater than 0'],
    [{ sinceSeconds: '0' }, 'sinceSeconds', 'Invalid value: 0: must be greater than 0'],
    [
      { sinceSeconds: '5', sinceTime: '2026-01-01T00:00:00Z' },
      '',
      'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    ],
  ])('finds %j invalid: %s', (raw, field, message) => {
    expect(decodeLogQuery(raw).problems).toEqual([expect.objectContaining({ field, message })]);
  });

  it('accepts tailLines 0', () => {
    expect(decodeLogQuery({ tailLines: '0' }).problems).toEqual([]);
  });

  it("writes the kubelet's query in kube-apiserver's order", () => {
    const { query } = decodeLogQuery({ tailLines: '3', follow: 'true', limitBytes: '9', container: 'app' });
    expect(logQueryString(query)).toBe('follow=true&tailLines=3&limitBytes=9');
  });
});
