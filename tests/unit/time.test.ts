import { formatTime, parseTime } from '../../common/time';

describe('parseTime', () => {
  it.each([
    ['62.5', 62.5],
    ['1:02.5', 62.5],
    ['01:02.500', 62.5],
    ['0', 0],
    ['.5', 0.5],
    [' 3 ', 3],
    ['1:01:02.25', 3662.25],
    ['00:00.040', 0.04],
  ])('%s → %s', (text, seconds) => {
    expect(parseTime(text)).toBe(seconds);
  });

  it.each(['', 'abc', '-1', '1:60', '1:2:3:4', '1:60:00', '1e3', 'NaN', '1,5'])('rejects %j', (text) => {
    expect(parseTime(text)).toBeNull();
  });

  it('accepts finite non-negative numbers as they are', () => {
    expect(parseTime(2.52)).toBe(2.52);
    expect(parseTime(-1)).toBeNull();
    expect(parseTime(Infinity)).toBeNull();
  });
});

describe('formatTime', () => {
  it.each([
    [62.5, '01:02.500'],
    [0, '00:00.000'],
    [2.52, '00:02.520'],
    [59.9996, '01:00.000'],
    [3662.25, '1:01:02.250'],
  ])('%s → %s', (seconds, text) => {
    expect(formatTime(seconds)).toBe(text);
  });

  it('round-trips through parseTime', () => {
    for (const s of [0, 0.04, 1.001, 62.5, 599.999, 3600, 7322.123]) expect(parseTime(formatTime(s))).toBe(s);
  });
});
