// Runs the no-signal answer's levels (static/js/offline-answer.mjs) under Node for
// tests/test_offline_answer.py. Reads {"book": ..., "checks": [[slug, ...], ...]} on stdin;
// writes the level of each check (null when no rule fires) as JSON.
import { readFileSync } from "node:fs";
import { levelOf } from "../../static/js/offline-answer.mjs";

const input = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(input.checks.map((signs) => levelOf(input.book, new Set(signs)))));
