// The calibration page's one filter: the period, in days back from now (GET ?period=30|90|365, default 90).
import { z } from "zod";

export const calibrationPeriods = ["30", "90", "365"] as const;
export type CalibrationPeriod = (typeof calibrationPeriods)[number];

export const calibrationFilterSchema = z.object({
  period: z.enum(calibrationPeriods, { error: "Choose a period of 30, 90 or 365 days." }).default("90"),
});
export type CalibrationFilter = z.infer<typeof calibrationFilterSchema>;
