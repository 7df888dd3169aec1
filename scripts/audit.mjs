// The browser side of `make audit`: `node scripts/audit.mjs PLAN.json`, run by scripts/audit.py
// (which serves the site, crawls it and writes the plan) with Node 22 from node_modules.
//
// For every page of the plan, in a fresh browser context of Debian's Chromium:
//   overflow   the page at each width of checks.widths: no horizontal scrolling; names the
//              outermost elements that stick out;
//   axe        axe-core, every rule it runs by default, violations of the listed impacts;
//   pa11y      HTML_CodeSniffer, WCAG 2 AA, errors (not warnings or notices);
//   lighthouse mobile and desktop: category scores (minScores) and budgets (numeric values of
//              Lighthouse audits, e.g. cumulative-layout-shift 0). A page reached by a form
//              submission is audited as it is (Lighthouse's snapshot mode, no performance);
//              a page with another status than 200 through the front server's status-200 door.
// It prints one table (page × tool) and then every failure with its tool, rule and element,
// writes test-artifacts/audit/results.json (and a Lighthouse HTML report for each failing run),
// and exits 1 on any failure.

import { fork } from "node:child_process";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { desktopConfig, generateReport, navigation, snapshot } from "lighthouse";
import pa11y from "pa11y";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = await fs.readFile(require.resolve("axe-core/axe.min.js"), "utf8");
const plan = JSON.parse(await fs.readFile(process.argv[2], "utf8"));
const { checks } = plan;
const tools = new Set(plan.tools);
const QUIET = { debug() {}, info() {}, error() {} };
const NAVIGATION_TIMEOUT = 60_000;

// --- Opening a page as its plan says ------------------------------------------------------

async function logIn(tab) {
  await tab.goto(plan.baseUrl + plan.login.path, { waitUntil: "load", timeout: NAVIGATION_TIMEOUT });
  if (!(await tab.$("#id_username"))) return; // this browser context is logged in already
  await tab.type("#id_username", plan.login.username);
  await tab.type("#id_password", plan.login.password);
  await Promise.all([tab.waitForNavigation({ waitUntil: "load" }), tab.click("#login-form [type=submit]")]);
  if (new URL(tab.url()).pathname === plan.login.path) {
    const note = await tab.$eval(".errornote, .errorlist, h1", (el) => el.textContent.trim()).catch(() => "");
    throw new Error(`the staff login failed: ${note.replace(/\s+/g, " ").slice(0, 200)}`);
  }
}

/** Opens the page (logged in if it says so) and plays its steps; returns the final response. */
async function open(tab, page) {
  await tab.setExtraHTTPHeaders({ "Accept-Language": page.language });
  if (page.login) await logIn(tab);
  let response = await tab.goto(plan.baseUrl + page.path, { waitUntil: "load", timeout: NAVIGATION_TIMEOUT });
  let posted = false;
  for (const step of page.steps || []) {
    for (const [selector, value] of Object.entries(step.fill || {})) {
      await tab.$eval(selector, (element) => (element.value = ""));
      await tab.type(selector, value);
    }
    for (const [selector, value] of Object.entries(step.select || {})) await tab.select(selector, value);
    for (const selector of step.check || []) await tab.click(selector);
    if (step.click && step.navigates === false) await tab.click(step.click);
    else if (step.click) {
      const [next] = await Promise.all([
        tab.waitForNavigation({ waitUntil: "load", timeout: NAVIGATION_TIMEOUT }),
        tab.click(step.click),
      ]);
      response = next;
      posted ||= next.request().method() !== "GET";
    }
  }
  return { status: response.status(), url: tab.url(), posted };
}

// --- The checks ---------------------------------------------------------------------------

// In the page: a short CSS selector naming an element, and the outermost elements wider than the
// window (their parent is not), i.e. the ones to fix.
const IN_PAGE_HELPERS = `
window.__auditSelector = (element) => {
  const parts = [];
  for (let el = element; el && el.nodeType === 1 && parts.length < 4; el = el.parentElement) {
    if (el.id) { parts.unshift(el.localName + "#" + el.id); break; }
    const classes = [...el.classList].slice(0, 2).map((c) => "." + c).join("");
    parts.unshift(el.localName + classes);
  }
  return parts.join(" > ");
};
window.__auditOverflow = () => {
  const limit = window.innerWidth + 0.5;
  const sticksOut = (el) => el.getBoundingClientRect().right > limit;
  const culprits = [...document.body.querySelectorAll("*")]
    .filter((el) => sticksOut(el) && !(el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement)))
    .slice(0, 5)
    .map((el) => window.__auditSelector(el) + " (" + Math.round(el.getBoundingClientRect().right) + " px)");
  return { width: document.documentElement.scrollWidth, culprits };
};`;

async function overflow(tab, result) {
  await tab.evaluate(IN_PAGE_HELPERS);
  const cells = [];
  for (const width of checks.widths) {
    await tab.setViewport({ width, height: 800 });
    const { width: scrollWidth, culprits } = await tab.evaluate(() => window.__auditOverflow());
    cells.push(scrollWidth > width ? `${scrollWidth}px` : "ok");
    if (scrollWidth > width) {
      result.fail("overflow", `page-wider-than-${width}px`, culprits.join(", "), `${scrollWidth} px wide (WCAG 1.4.10)`);
    }
  }
  result.cells.overflow = cells.join(" ");
}

async function axe(tab, result) {
  await tab.setViewport({ width: 1280, height: 900 });
  await tab.evaluate(AXE_SOURCE);
  // Every rule axe runs by default, and those the config switches on (WCAG 2.2's target-size).
  const rules = Object.fromEntries((checks.axe.enable || []).map((id) => [id, { enabled: true }]));
  const { violations } = await tab.evaluate(
    (rules) => window.axe.run(document, { resultTypes: ["violations"], rules }),
    rules,
  );
  const counted = violations.filter((v) => checks.axe.impacts.includes(v.impact));
  for (const violation of counted) {
    for (const node of violation.nodes.slice(0, 5)) {
      result.fail("axe", violation.id, node.target.join(" "), `${violation.impact}: ${violation.help}`);
    }
  }
  result.cells.axe = String(counted.length);
}

async function runPa11y(browser, tab, result) {
  const report = await pa11y(tab.url(), {
    browser,
    page: tab,
    ignoreUrl: true,
    runners: [checks.pa11y.runner],
    standard: checks.pa11y.standard,
    includeNotices: false,
    includeWarnings: false,
    viewport: { width: 1280, height: 900 },
    timeout: NAVIGATION_TIMEOUT,
    log: QUIET,
  });
  const errors = report.issues.filter((issue) => issue.type === "error");
  for (const issue of errors.slice(0, 10)) result.fail("pa11y", issue.code, issue.selector, issue.message);
  result.cells.pa11y = String(errors.length);
}

function lighthouseConfig(formFactor, categories) {
  const base = formFactor === "desktop" ? desktopConfig : { extends: "lighthouse:default" };
  return {
    ...base,
    settings: {
      ...(base.settings || {}),
      onlyCategories: categories,
      // The site runs on this machine: shorter quiet periods than for a site across the internet.
      pauseAfterFcpMs: 500,
      pauseAfterLoadMs: 500,
      networkQuietThresholdMs: 500,
      cpuQuietThresholdMs: 500,
    },
  };
}

// The table's Lighthouse cell: the category scores in this order ("—" where not audited), then
// the metrics the budgets hold.
const CATEGORY_ORDER = ["performance", "accessibility", "best-practices", "seo"];
const METRIC_NAMES = {
  "largest-contentful-paint": "lcp",
  "total-blocking-time": "tbt",
  "cumulative-layout-shift": "cls",
};

function metric(id, value) {
  if (id === "cumulative-layout-shift") return String(Math.round(value * 1000) / 1000);
  return id === "total-blocking-time" ? `${Math.round(value)}ms` : `${(value / 1000).toFixed(1)}s`;
}

async function lighthouse(context, page, opened, formFactor, result) {
  const tool = `lighthouse ${formFactor}`;
  const categories = page.categories || checks.lighthouse.categories;
  let lhr = await runLighthouse(context, page, opened, formFactor, categories);
  // Now and then Lighthouse cannot read the trace it recorded (NO_NAVSTART, NO_FCP…) and asks
  // for another run: up to two more, each in a browser context of its own.
  for (let retry = 0; lhr.runtimeError && retry < 2; retry++) {
    const fresh = await context.browser().createBrowserContext();
    try {
      if (page.login) {
        const tab = await fresh.newPage();
        await tab.setExtraHTTPHeaders({ "Accept-Language": page.language });
        await logIn(tab);
        await tab.close();
      }
      lhr = await runLighthouse(fresh, page, opened, formFactor, categories);
    } finally {
      await fresh.close();
    }
    result.retried.push(`${formFactor}: ${lhr.runtimeError?.code || "ok"}`);
  }
  const failuresBefore = result.failures.length;
  if (lhr.runtimeError) result.fail(tool, lhr.runtimeError.code, "", lhr.runtimeError.message);
  for (const [id, category] of Object.entries(lhr.categories)) {
    const minimum = checks.lighthouse.minScores[id];
    if (minimum === undefined || (category.score !== null && category.score >= minimum)) continue;
    const score = category.score === null ? "no score" : Math.round(category.score * 100);
    const failing = category.auditRefs
      .filter((ref) => ref.weight > 0)
      .map((ref) => lhr.audits[ref.id])
      .filter((audit) => audit.score !== null && audit.score < 1);
    if (!failing.length) result.fail(tool, `${id}-score`, "", `${score} < ${minimum * 100}`);
    for (const audit of failing) result.fail(tool, audit.id, elementsOf(audit), `${id} ${score}: ${audit.title}`);
  }
  // Budgets. Measurements vary from run to run on a busy machine: a page over a budget is
  // measured once more and judged by its better run (a real regression fails both).
  const budgets = Object.entries(checks.lighthouse.budgets[formFactor] || {}).filter(
    ([id]) => lhr.audits[id]?.numericValue !== undefined, // not measured in snapshot mode
  );
  const values = Object.fromEntries(budgets.map(([id]) => [id, lhr.audits[id].numericValue]));
  if (budgets.some(([id, budget]) => values[id] > budget)) {
    const again = await runLighthouse(context, page, opened, formFactor, categories);
    for (const [id] of budgets) values[id] = Math.min(values[id], again.audits?.[id]?.numericValue ?? Infinity);
    result.remeasured.push(formFactor);
  }
  const measured = [];
  for (const [id, budget] of budgets) {
    if (METRIC_NAMES[id]) measured.push(`${METRIC_NAMES[id]} ${metric(id, values[id])}`);
    if (values[id] > budget) {
      const culprits = id === "cumulative-layout-shift" ? elementsOf(lhr.audits["layout-shifts"] || {}) : "";
      const shown = id === "total-byte-weight" ? `${Math.round(values[id] / 1000)} kB` : metric(id, values[id]);
      result.fail(tool, `budget:${id}`, culprits, `${shown} > budget ${budget} (better of two runs)`);
    }
  }
  const scores = CATEGORY_ORDER.map((id) => {
    const score = lhr.categories[id]?.score;
    return score === undefined ? "—" : score === null ? "err" : String(Math.round(score * 100));
  });
  result.cells[tool] = [scores.join("/"), ...measured].join(" ");
  if (result.failures.length > failuresBefore) {
    const file = path.join(plan.reports, "lighthouse", `${result.slug}-${formFactor}.html`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, generateReport(lhr, "html"));
    result.reportFiles.push(path.relative(process.cwd(), file));
  }
}

/** One Lighthouse run in a new tab of the page's browser context (its staff session, if any). */
async function runLighthouse(context, page, opened, formFactor, categories) {
  const tab = await context.newPage();
  const flags = { logLevel: "error", disableStorageReset: Boolean(page.login) };
  try {
    if (opened.posted) {
      // A form's answer cannot be loaded again: audit the page as the submission left it.
      if (formFactor === "mobile") await tab.setViewport({ width: 412, height: 823, deviceScaleFactor: 1.75, isMobile: true });
      else await tab.setViewport({ width: 1350, height: 940 });
      const again = await open(tab, page);
      if (again.status !== opened.status) throw new Error(`the form answered ${again.status} this time, not ${opened.status}`);
      const config = lighthouseConfig(formFactor, categories.filter((c) => c !== "performance"));
      return (await snapshot(tab, { config, flags })).lhr;
    }
    await tab.setExtraHTTPHeaders({ "Accept-Language": page.language });
    const address = new URL(opened.url);
    const url =
      opened.status === 200
        ? opened.url
        : plan.baseUrl + plan.status200Door + address.pathname + address.search; // see scripts/audit.py
    return (await navigation(tab, url, { config: lighthouseConfig(formFactor, categories), flags })).lhr;
  } finally {
    await tab.close();
  }
}

/** The elements a Lighthouse audit names (its table's node column), else the resources. */
function elementsOf(audit) {
  const items = audit.details?.items || [];
  const named = items
    .map(
      (item) =>
        item.node?.selector ||
        item.node?.snippet ||
        (item.source?.url && `${item.source.url}:${item.source.line + 1}`) ||
        (typeof item.url === "string" && item.url) ||
        "",
    )
    .filter(Boolean);
  return [...new Set(named)].slice(0, 5).join(", ");
}

// --- One page, then all of them -----------------------------------------------------------

async function timed(result, tool, work) {
  const started = Date.now();
  try {
    return await work();
  } finally {
    result.seconds[tool] = Math.round((Date.now() - started) / 100) / 10;
  }
}

/** The config's "allow" entry that accepts this finding: same rule, a tool that starts with the
 * entry's tool, a page label that matches the entry's page pattern ("*" for any text). */
function allowanceFor(finding) {
  const matches = (pattern, text) =>
    new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(text);
  return (plan.allow || []).find(
    (entry) =>
      entry.rule === finding.rule &&
      finding.tool.startsWith(entry.tool) &&
      matches(entry.page || "*", finding.page),
  );
}

function pageLabel(page) {
  return `${page.name} [${page.language}]`;
}

async function auditPage(browser, page) {
  const started = Date.now();
  const result = {
    page: pageLabel(page),
    path: page.path,
    slug: `${page.name}-${page.language}`.replace(/[^a-z0-9]+/gi, "-"),
    cells: {},
    seconds: {},
    remeasured: [],
    retried: [],
    failures: [],
    reportFiles: [],
    allowed: [],
    fail(tool, rule, element, message) {
      const finding = { page: this.page, tool, rule, element, message };
      const allowance = allowanceFor(finding);
      if (allowance) this.allowed.push({ ...finding, reason: allowance.reason });
      else this.failures.push(finding);
    },
  };
  const context = await browser.createBrowserContext();
  try {
    const tab = await context.newPage();
    // axe-core and HTML_CodeSniffer are injected into the page: they need the CSP bypassed.
    await tab.setBypassCSP(true);
    const opened = await open(tab, page);
    result.submitted = opened.posted;
    const reached = new URL(opened.url);
    if (page.steps?.length) result.path = `${page.path} → ${reached.pathname}${reached.search}`;
    result.status = opened.status;
    const expected = page.status || 200;
    if (opened.status !== expected) result.fail("page", "http-status", opened.url, `${opened.status}, expected ${expected}`);
    for (const [tool, check] of [
      ["overflow", () => overflow(tab, result)],
      ["axe", () => axe(tab, result)],
      ["pa11y", () => runPa11y(browser, tab, result)],
    ]) {
      if (!tools.has(tool)) continue;
      try {
        await timed(result, tool, check);
      } catch (error) {
        result.fail(tool, "tool-error", "", String(error.message || error).split("\n")[0]);
        result.cells[tool] = "error";
      }
    }
    await tab.close();
    if (tools.has("lighthouse")) {
      for (const formFactor of checks.lighthouse.formFactors) {
        try {
          await timed(result, `lighthouse ${formFactor}`, () => lighthouse(context, page, opened, formFactor, result));
        } catch (error) {
          result.fail(`lighthouse ${formFactor}`, "tool-error", "", String(error.message || error).split("\n")[0]);
          result.cells[`lighthouse ${formFactor}`] = "error";
        }
      }
    }
  } catch (error) {
    result.fail("page", "could-not-open", page.path, String(error.message || error).split("\n")[0]);
  } finally {
    await context.close();
  }
  result.seconds.total = Math.round((Date.now() - started) / 100) / 10;
  const times = Object.entries(result.seconds).map(([tool, s]) => `${tool} ${s}`).join(", ");
  process.stderr.write(
    `audit: ${result.page.padEnd(28)} ${result.failures.length ? "FAIL" : "ok  "} ${page.path}  (${times} s)\n`,
  );
  return result;
}

async function launchBrowser() {
  return puppeteer.launch({
    executablePath: plan.chromium.path,
    headless: true,
    args: plan.chromium.args.filter((arg) => !arg.startsWith("--headless")),
    defaultViewport: null,
  });
}

// Lighthouse keeps global state (performance marks): one run at a time per process. Each
// worker is therefore a process of its own, with its own browser, asking the main process
// for the next page until none is left.
async function worker() {
  const browser = await launchBrowser();
  process.on("message", async (message) => {
    if (message.done) {
      await browser.close();
      process.disconnect();
      return;
    }
    const { fail, ...result } = await auditPage(browser, message.page); // (a function does not travel)
    process.send({ index: message.index, result });
  });
  process.send({ ready: true });
}

async function main() {
  const started = Date.now();
  const queue = plan.pages.map((page, index) => ({ page, index }));
  const results = [];
  const count = Math.max(1, Math.min(plan.workers, queue.length));
  await Promise.all(
    Array.from({ length: count }, () => {
      const child = fork(fileURLToPath(import.meta.url), [process.argv[2], "--worker"]);
      const next = () => child.send(queue.length ? queue.shift() : { done: true });
      child.on("message", (message) => {
        if (message.result) results[message.index] = message.result;
        next();
      });
      return new Promise((resolve, reject) =>
        child.on("exit", (code) => (code ? reject(new Error(`an audit worker exited with ${code}`)) : resolve())),
      );
    }),
  );
  const missing = plan.pages.filter((_, index) => !results[index]);
  if (missing.length) throw new Error(`no result for ${missing.map(pageLabel).join(", ")}`);

  const columns = [
    ["page", (r) => r.page],
    ...(tools.has("lighthouse")
      ? checks.lighthouse.formFactors.map((f) => [`lighthouse ${f}: perf/a11y/bp/seo, metrics`, (r) => r.cells[`lighthouse ${f}`]])
      : []),
    ...(tools.has("pa11y") ? [["pa11y errors", (r) => r.cells.pa11y]] : []),
    ...(tools.has("axe") ? [["axe violations", (r) => r.cells.axe]] : []),
    ...(tools.has("overflow") ? [[`overflow ${checks.widths.join("/")}`, (r) => r.cells.overflow]] : []),
    ["", (r) => (r.failures.length ? "FAIL" : "ok")],
    ["address", (r) => r.path + (r.submitted ? ` (form sent: ${r.status})` : r.status !== 200 ? ` (${r.status})` : "")],
  ];
  const rows = [columns.map(([title]) => title), ...results.map((r) => columns.map(([, cell]) => cell(r) ?? "—"))];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  const line = (row) => row.map((cell, i) => String(cell).padEnd(widths[i])).join("  ").trimEnd();
  console.log("");
  console.log(line(rows[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows.slice(1)) console.log(line(row));

  const failures = [...plan.failures, ...results.flatMap((r) => r.failures)];
  console.log("");
  if (failures.length) {
    console.log(`${failures.length} failure(s): page · tool · rule · element · message`);
    for (const f of failures) {
      console.log(`  ✘ ${f.page} · ${f.tool} · ${f.rule} · ${f.element || "(page)"}${f.message ? ` · ${f.message}` : ""}`);
    }
    const reports = results.flatMap((r) => r.reportFiles);
    if (reports.length) console.log(`Lighthouse reports of the failing runs: ${reports.join(", ")}`);
  } else {
    console.log(`${results.length === 1 ? "The page passes" : `All ${results.length} pages pass`}: ${[...tools].join(", ")}.`);
  }
  const repeated = results.flatMap((r) => [
    ...r.retried.map((retry) => `${r.page} ${retry.split(":")[0]} (trace unreadable, then ${retry.split(": ")[1]})`),
    ...r.remeasured.map((formFactor) => `${r.page} ${formFactor} (over a budget, measured again)`),
  ]);
  if (repeated.length) console.log(`Lighthouse runs repeated: ${repeated.join("; ")}`);
  const allowed = results.flatMap((r) => r.allowed);
  if (allowed.length) {
    console.log(`${allowed.length} finding(s) allowed by audit.config.json ("allow"):`);
    for (const f of allowed) console.log(`  ~ ${f.page} · ${f.tool} · ${f.rule} · ${f.element || "(page)"} · ${f.reason}`);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`audit: ${results.length} pages in ${seconds} s with ${plan.workers} browser(s)`);
  await fs.writeFile(
    path.join(plan.reports, "results.json"),
    JSON.stringify({ seconds, failures, pages: results }, null, 2),
  );
  process.exitCode = failures.length ? 1 : 0;
}

if (process.argv.includes("--worker")) await worker();
else await main();
