import { KUBE_FORMATS, isKubeStringFormat } from '../../../lib/crd/schema/formats';

/**
 * The string formats of kube-openapi's strfmt registry that apiextensions-apiserver 1.32 keeps
 * (pkg/apiserver/validation/formats.go, supportedVersionedFormats at 1.0), with values taken
 * from the comments there and from the Go checks each format registers (strfmt/default.go).
 */
describe('kube string formats', () => {
  it('knows exactly the 1.32 set, with or without dashes', () => {
    expect(Object.keys(KUBE_FORMATS).sort()).toEqual(
      [
        'bsonobjectid',
        'uri',
        'email',
        'hostname',
        'ipv4',
        'ipv6',
        'cidr',
        'mac',
        'uuid',
        'uuid3',
        'uuid4',
        'uuid5',
        'isbn',
        'isbn10',
        'isbn13',
        'creditcard',
        'ssn',
        'hexcolor',
        'rgbcolor',
        'byte',
        'password',
        'date',
        'duration',
        'datetime',
      ].sort(),
    );
    expect(isKubeStringFormat('date-time')).toBe(true);
    expect(isKubeStringFormat('k8s-short-name')).toBe(false);
    expect(isKubeStringFormat('int32')).toBe(false);
  });

  it.each<[string, string[], string[]]>([
    ['bsonobjectid', ['507f1f77bcf86cd799439011'], ['507f1f77bcf86cd79943901', 'zz7f1f77bcf86cd799439011']],
    [
      'uri',
      ['https://example.com/a?b=c', '/absolute/path', 'mailto:a@b.c'],
      ['relative/path', 'http://exa mple.com', ''],
    ],
    ['email', ['a@example.com', 'Alice <a@example.com>'], ['example.com', 'a@']],
    [
      'hostname',
      ['example.com', 'a-b.example.com', 'localhost'],
      ['-bad.example.com', 'a_b', `${'a'.repeat(64)}.com`],
    ],
    ['ipv4', ['10.0.0.1', '010.000.000.001', '::ffff:1.2.3.4'], ['10.0.0', '256.0.0.1', '::1']],
    ['ipv6', ['::1', '2001:db8::8a2e:370:7334'], ['10.0.0.1', 'fe80::1%eth0', '2001:db8:::1']],
    ['cidr', ['10.0.0.0/8', '2001:db8::/32'], ['10.0.0.0', '10.0.0.0/33', '::/129']],
    ['mac', ['01:23:45:67:89:ab', '01-23-45-67-89-AB', '0123.4567.89ab'], ['01:23:45:67:89', '0123456789ab']],
    [
      'uuid',
      ['123e4567-e89b-12d3-a456-426614174000', '123E4567E89B12D3A456426614174000'],
      ['123e4567-e89b-12d3-a456'],
    ],
    ['uuid4', ['123e4567-e89b-42d3-a456-426614174000'], ['123e4567-e89b-12d3-a456-426614174000']],
    ['isbn10', ['0321751043', '0-321-75104-3'], ['0321751044']],
    ['isbn13', ['978-0321751041'], ['978-0321751042']],
    ['creditcard', ['4111 1111 1111 1111'], ['4111 1111 1111 1112', '1234']],
    ['ssn', ['123-45-6789', '123 45 6789'], ['123456789', '123-45-678']],
    ['hexcolor', ['#FFFFFF', 'fff'], ['#FFFF', 'ggg']],
    ['rgbcolor', ['rgb(255,255,0)', 'rgb( 0 , 10 , 200 )'], ['rgb(256,0,0)', 'rgba(0,0,0,0)']],
    ['byte', ['aGVsbG8=', 'aGk='], ['aGVsbG8', 'not base64!']],
    ['password', ['anything at all'], []],
    ['date', ['2024-02-29', '2006-01-02'], ['2023-02-29', '2024-13-01', '24-01-01']],
    ['duration', ['1h30m', '22 ns', '3 days', '1.5s', '0'], ['soon', '1y']],
    [
      'datetime',
      ['2014-12-15T19:30:20.000Z', '2014-12-15t19:30:20+01:00'],
      ['2014-12-15', '2014-12-15T25:00:00Z', '2014-12-15T19:30:20'],
    ],
  ])('%s', (format, valid, invalid) => {
    for (const value of valid) expect([value, KUBE_FORMATS[format](value)]).toEqual([value, true]);
    for (const value of invalid) expect([value, KUBE_FORMATS[format](value)]).toEqual([value, false]);
  });
});
