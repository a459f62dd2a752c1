// Put generated text into a document between two marker comments, so that
// rerunning the generator refreshes it and leaves the rest of the file alone.

// The default section's markers; a named section (--section NAME) has "flight-ranges:NAME:begin".
export const BEGIN = "<!-- flight-ranges:begin";
export const END = "<!-- flight-ranges:end -->";
export const markers = (section = "") => (section ? [`<!-- flight-ranges:${section}:begin`, `<!-- flight-ranges:${section}:end -->`] : [BEGIN, END]);

export class MarkerError extends Error {}

export function replaceBetweenMarkers(doc, body, section = "") {
  const [BEGIN, END] = markers(section);
  const b = doc.indexOf(BEGIN);
  const e = doc.indexOf(END);
  if (b < 0 || e < 0 || e < b || doc.indexOf(BEGIN, b + 1) >= 0 || doc.indexOf(END, e + 1) >= 0) {
    throw new MarkerError(`the document needs exactly one "${BEGIN} … -->" line followed by one "${END}" line`);
  }
  const afterBegin = doc.indexOf("\n", b) + 1;
  if (afterBegin === 0 || afterBegin > e) throw new MarkerError(`"${BEGIN}" must be a line of its own`);
  return doc.slice(0, afterBegin) + body.replace(/\n*$/, "\n") + doc.slice(e);
}
