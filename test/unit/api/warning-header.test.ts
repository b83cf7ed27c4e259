import { warningHeader } from '../../../lib/api/warning-header';

describe('the Warning header', () => {
  it('writes each warning once in kube form, escaping quotes and backslashes', () => {
    expect(warningHeader(['unknown field "a"', 'unknown field "a"', 'path \\x'])).toBe(
      '299 - "unknown field \\"a\\"", 299 - "path \\\\x"',
    );
  });

  it('keeps text in any script as it is: transports encode it', () => {
    expect(warningHeader(['unknown field "☃"'])).toBe('299 - "unknown field \\"☃\\""');
  });

  it('drops a warning holding a control character, which could split the header', () => {
    expect(warningHeader(['line\nbreak', 'ok'])).toBe('299 - "ok"');
    expect(warningHeader(['tab\there'])).toBeUndefined();
  });

  it('is absent when there is nothing to say', () => {
    expect(warningHeader([])).toBeUndefined();
    expect(warningHeader([''])).toBeUndefined();
  });

  it('past 4,096 characters in all, cuts every warning to 256 and adds no more once full', () => {
    const warnings = Array.from({ length: 40 }, (_, i) => `${i}`.padEnd(300, 'x'));
    const parts = warningHeader(warnings)!.split(', 299 - ');
    expect(parts).toHaveLength(16); // 16 x 256 = 4,096: the 17th would start past the bound
    for (const part of parts) expect(part.replace(/^299 - /, '').length).toBe(256 + 2);
  });

  it('counts characters, not UTF-16 units, when cutting', () => {
    const header = warningHeader(['😀'.repeat(5000)])!;
    expect([...header.slice('299 - "'.length, -1)]).toHaveLength(256);
  });
});
