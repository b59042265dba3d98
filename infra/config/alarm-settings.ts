import { z } from 'zod';

/**
 * On-call thresholds. `silenceMinutes` is evaluated in 15-minute periods (the anomaly model's
 * period), so it must be a multiple of 15. `runbookUrl` is where docs/operations.md is published
 * (e.g. https://github.com/<org>/<repo>/blob/main/docs/operations.md); without it the alarm
 * descriptions name the repository path docs/operations.md#<entry>.
 */
export const alarmSettingsSchema = z
  .object({
    latencyP95Seconds: z.number().int().min(1).max(3_600).default(60),
    deliveryFailedPercent: z.number().min(0.1).max(100).default(5),
    /** Below this many sends in 5 minutes the failed rate is not judged (one failure of two is noise). */
    deliveryMinimumSent: z.number().int().min(1).max(100_000).default(10),
    silenceMinutes: z
      .number()
      .int()
      .min(15)
      .max(1_440)
      .refine((minutes) => minutes % 15 === 0, { message: 'must be a multiple of 15' })
      .default(60),
    /** Width of the anomaly band in standard deviations: wider pages less often. */
    silenceBandStandardDeviations: z.number().min(1).max(10).default(3),
    runbookUrl: z
      .string()
      .regex(/^https:\/\/[^\s#]+$/, 'must be an https URL of docs/operations.md, without #anchor')
      .optional(),
  })
  .strict()
  .prefault({});
