export {
  classifyText,
  moderate,
  moderateAndRedact,
  moderationCategories,
  moderationLevels,
  moderationThresholds,
  redactText,
  type ModerationCategory,
  type ModerationLevel,
  type ModerationOutcome,
  type ModerationResult,
  type RedactionOutcome,
} from "./classify";
export { moderateLongText, WINDOW_CHARS } from "./windowed";
