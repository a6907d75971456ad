/**
 * Test results in JUnit XML, written to `<output-dir>/test.xml` in exactly the
 * layout the Python engine writes (same attributes, order, indentation and
 * number formatting), so CI tooling reads both the same way.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pyFloat } from '../runtime/py-format.js';

/** The outcome of one scenario (or of a failed attempt to load it). */
export interface TestCaseResult {
  /** Scenario name, or `Parsing of <file>` when loading failed. */
  readonly name: string;
  readonly success: boolean;
  /** Short reason: `execution failed.`, `parsing failed`, `Aborted`, `Setup failed`. */
  readonly failureMessage: string;
  /** Details: the error text and/or the tree snapshot. */
  readonly failureOutput: string;
  /** Seconds from start to end (kept at microsecond resolution, as a Python timedelta). */
  readonly processingTime: number;
  /** Start as seconds since the epoch, if known. */
  readonly startTime: number | undefined;
}

// The wall clock once, then the monotonic clock from there: sub-millisecond digits without the
// `performance` global, whose first use loads the perf_hooks modules (2 ms of every run).
const ORIGIN_MS = Date.now();
const ORIGIN_NS = process.hrtime.bigint();

/** Current time as seconds since the epoch, with sub-millisecond digits. */
export function epochSeconds(): number {
  return (ORIGIN_MS + Number(process.hrtime.bigint() - ORIGIN_NS) / 1e6) / 1000;
}

/** Whole microseconds of a duration in seconds (a timedelta's resolution). */
function microseconds(seconds: number): number {
  return Math.round(seconds * 1e6);
}

/** A duration as Python prints `timedelta.total_seconds()`. */
export function totalSecondsText(seconds: number): string {
  return pyFloat(microseconds(seconds) / 1e6);
}

/** Escape text content as Python's `xml.sax.saxutils.escape`, then `"` → `'` as the engine does. */
function escapeFailureText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, "'");
}

/**
 * Attribute values. The Python engine writes them unescaped; escaping keeps
 * the file well-formed for names with `&`, `<` or `"` and changes nothing else.
 */
function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The JUnit document for a list of results. */
export function junitXml(results: readonly TestCaseResult[]): string {
  const failures = results.filter((r) => !r.success).length;
  const overallMicros = results.reduce((sum, r) => sum + microseconds(r.processingTime), 0);
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    `<testsuite errors="0" failures="${failures}" name="scenario_execution" tests="1" time="${pyFloat(overallMicros / 1e6)}">\n`,
  ];
  for (const r of results) {
    out.push(
      `  <testcase classname="tests.scenario" name="${escapeAttribute(r.name)}" time="${totalSecondsText(r.processingTime)}">\n`,
    );
    if (r.startTime !== undefined) {
      out.push('    <properties>\n');
      out.push(`      <property name="start_time" value="${r.startTime.toFixed(6)}"/>\n`);
      out.push('    </properties>\n');
    }
    if (!r.success) {
      out.push(
        `    <failure message="${escapeAttribute(r.failureMessage)}">${escapeFailureText(r.failureOutput)}</failure>\n`,
      );
    }
    out.push('  </testcase>\n');
  }
  out.push('</testsuite>\n');
  return out.join('');
}

/** Write `<outputDir>/test.xml`. */
export function writeJUnit(outputDir: string, results: readonly TestCaseResult[]): string {
  const file = join(outputDir, 'test.xml');
  writeFileSync(file, junitXml(results));
  return file;
}
