// A baseline anomaly detector: trained on normal flights, then scoring every
// syscall of a flight (higher = more anomalous). The evaluation thresholds the
// scores on validation flights (src/research/evaluate).
import type { FlightRows } from "../evaluate/flight-rows.js";

export interface Detector {
  /** The name in evaluation.json, the report and the score files' columns. */
  readonly name: string;
  /** Its parameters, as evaluation.json records them. */
  readonly params: Record<string, number | string | boolean>;
  /** Learns from one normal training flight. */
  train(f: FlightRows): void;
  /** Ends training (no train() after it). */
  fit(): void;
  /** One score per row of the flight, in row order. */
  score(f: FlightRows): Float64Array;
  /** What it learned, in figures for evaluation.json (sizes, counts). */
  model(): Record<string, number>;
}
