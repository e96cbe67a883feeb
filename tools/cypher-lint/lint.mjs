#!/usr/bin/env node
// Checks .cypher files with Neo4j's own Cypher 5 parser and semantic analysis
// (@neo4j-cypher/language-support), offline. The embedded engine (ArcadeDB) accepts
// some queries Neo4j rejects, so this is the check that keeps cypher/ portable.
//
// usage: node tools/cypher-lint/lint.mjs [--json] FILE_OR_DIR...
// Prints `path:line:col: error|warning: message` per diagnostic (1-based line and
// column). Exit 0: no errors (warnings allowed); 1: at least one error; 2: bad usage,
// unreadable path, or no .cypher file found (an empty run must not pass silently).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  highlightSyntax,
  isNotParamError,
  lintCypherQuery,
  parseStatementsStrs,
  testData,
} from '@neo4j-cypher/language-support';

const CYPHER_VERSION = 'CYPHER 5';
const ERROR = 1; // LSP DiagnosticSeverity.Error; 2 is Warning
// Console commands (`:param`, `:use`) belong to cypher-shell/Browser, never to a file.
const LINT_OPTIONS = { consoleCommandsEnabled: false };

function usage(message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.stderr.write('usage: node tools/cypher-lint/lint.mjs [--json] FILE_OR_DIR...\n');
  process.exit(2);
}

// Without a function/procedure catalog the package checks neither function names nor
// CALL targets, so `coutn(x)` or `apoc.*` would pass. The package ships a catalog taken
// from a real Neo4j (its `testData`, fixed by the pinned version); we keep only what a
// plain Neo4j 5 has: built-in functions and db./dbms./tx. procedures (no APOC/GDS).
// Labels, types and property keys are deliberately left out: files are templates
// (`__Label__`) and the graph schema lives in riskgraph, not here.
function neo4jCatalog() {
  const functions = testData?.mockSchema?.functions?.[CYPHER_VERSION];
  const procedures = testData?.mockSchema?.procedures?.[CYPHER_VERSION];
  if (!functions || !procedures) {
    usage('this @neo4j-cypher/language-support no longer exports testData.mockSchema; '
      + 'update neo4jCatalog() in lint.mjs');
  }
  const pick = (registry, keep) =>
    Object.fromEntries(Object.entries(registry).filter(([name, item]) => keep(name, item)));
  return {
    defaultLanguage: CYPHER_VERSION,
    functions: { [CYPHER_VERSION]: pick(functions, (_, fn) => fn.isBuiltIn) },
    procedures: { [CYPHER_VERSION]: pick(procedures, (name) => /^(db|dbms|tx)\./.test(name)) },
  };
}

function findCypherFiles(target, found) {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    usage(`no such file or directory: ${target}`);
  }
  if (stat.isFile()) {
    found.push(target);
    return;
  }
  const entries = readdirSync(target, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(target, entry.name);
    if (entry.isDirectory()) findCypherFiles(path, found);
    else if (entry.isFile() && entry.name.endsWith('.cypher')) found.push(path);
  }
}

function diagnostic(severity, line, column, message) {
  return { severity, line, column, message };
}

// The package lints every `;`-separated statement and says nothing about there being
// several; the driver sends a file as one query, so a second statement is an error.
function statementCountErrors(text) {
  const chunks = parseStatementsStrs(text); // lexer only; blank chunks dropped
  if (chunks.length === 0) return [diagnostic(ERROR, 1, 1, 'file holds no statement')];
  if (chunks.length === 1) return [];
  const tokens = highlightSyntax(text, LINT_OPTIONS);
  const firstSemicolon = tokens.findIndex((t) => t.token === ';');
  const extra = tokens
    .slice(firstSemicolon + 1)
    .find((t) => t.tokenType !== 'comment' && t.token !== ';');
  if (!extra) return []; // only `;` or comments follow: the parser already reports those
  const { line, startCharacter } = extra.position;
  return [diagnostic(ERROR, line + 1, startCharacter + 1,
    'more than one statement (a .cypher file holds exactly one; a trailing `;` is allowed)')];
}

function lintText(text, schema) {
  const { diagnostics } = lintCypherQuery(text, schema, LINT_OPTIONS);
  const found = diagnostics
    // Parameters are supplied at run time; with no declared values every $param
    // would be reported as "Parameter $x is not defined.".
    .filter(isNotParamError)
    .map((d) => diagnostic(d.severity, d.range.start.line + 1, d.range.start.character + 1,
      d.message.replace(/\s*\n\s*/g, ' ')));
  return found
    .concat(statementCountErrors(text))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

function main(argv) {
  const json = argv.includes('--json');
  const targets = argv.filter((a) => a !== '--json');
  const unknown = targets.find((a) => a.startsWith('--'));
  if (unknown) usage(`unknown option ${unknown}`);
  if (targets.length === 0) usage('no FILE_OR_DIR given');

  const files = [];
  for (const target of targets) findCypherFiles(target, files);
  if (files.length === 0) usage(`no .cypher files under ${targets.join(' ')}`);

  const schema = neo4jCatalog();
  const results = [];
  for (const path of files) {
    for (const d of lintText(readFileSync(path, 'utf8'), schema)) results.push({ path, ...d });
  }
  const errors = results.filter((d) => d.severity === ERROR).length;

  if (json) {
    const severity = (d) => (d.severity === ERROR ? 'error' : 'warning');
    const out = results.map((d) => ({ ...d, severity: severity(d) }));
    process.stdout.write(`${JSON.stringify({ files, errors, diagnostics: out }, null, 2)}\n`);
  } else {
    for (const d of results) {
      const level = d.severity === ERROR ? 'error' : 'warning';
      process.stdout.write(`${d.path}:${d.line}:${d.column}: ${level}: ${d.message}\n`);
    }
    const warnings = results.length - errors;
    process.stderr.write(
      `cypher-lint: ${files.length} file(s), ${errors} error(s), ${warnings} warning(s)\n`);
  }
  process.exitCode = errors > 0 ? 1 : 0;
}

main(process.argv.slice(2));
