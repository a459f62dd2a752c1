// `skytrace plot FLIGHT_DIR [--out FILE.html]`: one flight's charts as a
// self-contained HTML page (src/research/plot/). Bad input: one line, exit 2.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CommandModule } from "yargs";

interface Args { flight: string; out?: string }

export const plotCommand: CommandModule<object, Args> = {
  command: "plot <flight>",
  describe: "Chart one recorded flight (path, altitude, phases, syscall raster, Δt histograms) as a self-contained HTML page",
  builder: (y) =>
    y
      .positional("flight", { type: "string", demandOption: true, describe: "a flight's folder (as fly --out or generate writes)" })
      .option("out", { alias: "o", type: "string", describe: "the HTML file to write (default FLIGHT/plot.html)" })
      .example("$0 plot data/flight-000001", "writes data/flight-000001/plot.html")
      .example("$0 plot run1 --out run1.html", "") as never,
  handler: async (a) => {
    // Loaded when run: other commands start without Vega.
    const { plotFlightHtml } = await import("../research/plot/plot-flight.js");
    const { PlotError } = await import("../research/plot/flight-data.js");
    const out = a.out ?? path.join(a.flight, "plot.html");
    let html: string;
    try {
      html = await plotFlightHtml(a.flight);
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
