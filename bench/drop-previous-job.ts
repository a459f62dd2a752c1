// The flight job without FlightHost.previous held between flights, for
// bench/recompiles.ts to compare with the real one (src/generate/flight-job.ts).
import { flightJobWith } from "../src/generate/flight-job.js";

export default flightJobWith({ holdPrevious: false });
