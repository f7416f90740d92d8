// Worker entry when the package runs from TypeScript source: tsx's loader, then the worker.
import { register } from "tsx/esm/api";

register();
await import("./read-worker.ts");
