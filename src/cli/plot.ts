// `skytrace plot FLIGHT_DIR|REPORT_DIR [--out FILE.html]`: one flight's charts,
// or an evaluation's report (a folder with evaluation.json), as a
// self-contained HTML page (src/research/plot/). Bad input: one line, exit 2.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CommandModule } from "yargs";

interface Args { flight: string; out?: string }

export const plotCommand: CommandModule<object, Args> = {
  command: "plot <flight>",
  describe: "Chart one recorded flight (path, altitude, phases, syscall raster, Δt histograms), or an evaluate report folder (outcome tables, ROC curves, scores over time), as a self-contained HTML page",
  builder: (y) =>
    y
      .positional("flight", { type: "string", demandOption: true, describe: "a flight's folder (as fly --out or generate writes), or a report folder (evaluate --out)" })
      .option("out", { alias: "o", type: "string", describe: "the HTML file to write (default FLIGHT/plot.html, REPORT/report.html)" })
      .example("$0 plot data/flight-000001", "writes data/flight-000001/plot.html")
      .example("$0 plot run1 --out run1.html", "")
      .example("$0 plot report", "report/report.html from report/evaluation.json and report/scores/") as never,
  handler: async (a) => {
    // Loaded when run: other commands start without Vega.
    const { plotFlightHtml } = await import("../research/plot/plot-flight.js");
    const { plotReportHtml } = await import("../research/plot/plot-report.js");
    const { isReportDir } = await import("../research/plot/evaluation-data.js");
    const { PlotError } = await import("../research/plot/flight-data.js");
    const report = isReportDir(a.flight);
    const out = a.out ?? path.join(a.flight, report ? "report.html" : "plot.html");
    let html: string;
    try {
      html = report ? await plotReportHtml(a.flight) : await plotFlightHtml(a.flight);
    } catch (e) {
      if (e instanceof PlotError) { console.error(`skytrace: ${e.message}`); process.exit(2); }
      throw e;
    }
    const tmp = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.${process.pid}.tmp`);
    try {
      writeFileSync(tmp, html);
      renameSync(tmp, out);
    } catch (e) {
      rmSync(tmp, { force: true });
      console.error(`skytrace: cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      process.exit(2);
    }
    console.log(`Wrote ${out} (${(html.length / 1024).toFixed(0)} KB).`);
  },
};
