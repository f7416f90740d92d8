/**
 * Run before every e2e test file (vitest.config.ts, setupFiles): under CI a failed browser test is
 * run once more, and the harness first puts the data back as that test's first attempt found it.
 */
import { beforeEach } from "vitest";
import { beforeAttempt } from "./harness.ts";

beforeEach(({ task }) => beforeAttempt(task));
