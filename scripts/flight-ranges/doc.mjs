// Put generated text into a document between two marker comments, so that
// rerunning the generator refreshes it and leaves the rest of the file alone
// (the replacing is bench/doc-section.ts's, built into dist/).
const { replaceBetween } = await import("../../dist/bench/doc-section.js").catch(() => {
  console.error("dist/ is missing: run npm install (or npm run build) first");
  process.exit(2);
});

// The default section's markers; a named section (--section NAME) has "flight-ranges:NAME:begin".
export const BEGIN = "<!-- flight-ranges:begin";
export const END = "<!-- flight-ranges:end -->";
export const markers = (section = "") => (section ? [`<!-- flight-ranges:${section}:begin`, `<!-- flight-ranges:${section}:end -->`] : [BEGIN, END]);

export class MarkerError extends Error {}

export function replaceBetweenMarkers(doc, body, section = "") {
  const [begin, end] = markers(section);
  return replaceBetween(doc, begin, end, body, (m) => new MarkerError(m));
}
