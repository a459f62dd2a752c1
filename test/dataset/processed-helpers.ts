// Re-exports for the processed-format tests (one import line per concern).
export { toProcessedText, parseProcessedText, ProcessedConverter } from "../../src/dataset/processed.js";
export { TraceFormatError as TraceFormatErrorForTests } from "../../src/dataset/format-error.js";
