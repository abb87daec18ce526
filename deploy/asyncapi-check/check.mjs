// Parses each AsyncAPI document given (default: docs/asyncapi/*.json) with @asyncapi/parser, the parser
// downstream generators use. Prints every diagnostic of severity error and exits 1 when there is one.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Parser } from "@asyncapi/parser";

const here = dirname(fileURLToPath(import.meta.url));
const docs = resolve(here, "..", "..", "docs", "asyncapi");
const files = process.argv.length > 2
  ? process.argv.slice(2).map((file) => resolve(file))
  : readdirSync(docs).filter((name) => name.endsWith(".json")).sort().map((name) => join(docs, name));

const ERROR = 0; // DiagnosticSeverity.Error
const parser = new Parser();
let failed = files.length === 0;
for (const file of files) {
  const { diagnostics } = await parser.parse(readFileSync(file, "utf8"), { source: file });
  const errors = diagnostics.filter((d) => d.severity === ERROR);
  console.log(`${file}: ${errors.length} errors`);
  for (const d of errors) console.log(`  ${d.code} ${d.path.join(".")}: ${d.message}`);
  if (errors.length > 0) failed = true;
}
process.exit(failed ? 1 : 0);
