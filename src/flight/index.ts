// `skytrace fly`'s engine: one recorded flight in the published dataset format.
export * from "./scenarios.js";
export * from "./options.js";
export * from "./seeds.js";
export * from "./mission.js";
export * from "./recorder.js";
export * from "./manifest.js";
export * from "./run-flight.js";
