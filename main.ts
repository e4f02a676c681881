/**
 * fauxtrain's entry point: runs the bundle that `deno task build` makes from cli.ts.
 * One module instead of eighty lets the program start about as fast as a hello-world, and the
 * telemetry worker travels inside it, so no permission is needed. `deno task dev` runs the
 * sources instead; tests/scripts/build_test.ts fails when the bundle is older than them.
 */
// @ts-types="./cli.ts"
import { main } from "./bundle/fauxtrain.js";

if (import.meta.main) await main();
