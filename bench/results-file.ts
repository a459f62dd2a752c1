// Where `skytrace bench` writes its results without --out: the current folder,
// never the installed package (read-only once installed, or inside an image).
export const DEFAULT_RESULTS = "skytrace-bench.json";
