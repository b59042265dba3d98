/**
 * Connect hours of operation, as DescribeHoursOfOperation returns them: a time zone and, per
 * weekday, opening slices in local time (botocore connect 2017-08-08, shapes HoursOfOperation,
 * HoursOfOperationConfig, HoursOfOperationTimeSlice). Overrides (holidays) are not in that
 * answer; docs/voice-callback.md says how to cover them in the outbound flow.
 */

export type Weekday = 'SUNDAY' | 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY';

/** One opening: local start and end, in minutes after midnight. */
export interface OpeningSlice {
  readonly day: Weekday;
  readonly startMinute: number;
  readonly endMinute: number;
}

export interface WeeklyHours {
  /** IANA time zone, such as America/New_York. */
  readonly timeZone: string;
  readonly slices: readonly OpeningSlice[];
}

const WEEKDAYS: readonly Weekday[] = [
  'SUNDAY',
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
];

/**
 * True when `at` (epoch ms) falls in an opening. How Connect reads an end at or before the start
 * is not documented (UNCONFIRMED): here 00:00–00:00 is the whole day, and an end before the start
 * runs past midnight into the next day, as the Connect console lets a builder draw it.
 */
export function isOpenAt(hours: WeeklyHours, at: number): boolean {
  const { day, minute } = localTime(hours.timeZone, at);
  const previous = WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7];
  return hours.slices.some((slice) => {
    if (slice.endMinute > slice.startMinute)
      return slice.day === day && minute >= slice.startMinute && minute < slice.endMinute;
    if (slice.endMinute === slice.startMinute && slice.startMinute === 0) return slice.day === day;
    // Past midnight: open from the start to midnight, and on the next day until the end.
    return (
      (slice.day === day && minute >= slice.startMinute) ||
      (slice.day === previous && minute < slice.endMinute)
    );
  });
}

function localTime(timeZone: string, at: number): { day: Weekday; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return {
    day: part('weekday').toUpperCase() as Weekday,
    minute: Number(part('hour')) * 60 + Number(part('minute')),
  };
}
