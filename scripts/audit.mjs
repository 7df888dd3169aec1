// The browser side of `make audit`: `node scripts/audit.mjs PLAN.json`, run by scripts/audit.py
// (which serves the site, crawls it and writes the plan) with Node 22 from node_modules.
//
// For every page of the plan, in a fresh browser context of Debian's Chromium:
//   overflow   the page at each width of checks.widths: no horizontal scrolling; names the
//              outermost elements that stick out;
//   layout     at the same widths, in the same page: no text cut off by its container or lying
//              under another element, no text squeezed into a column narrower than
//              checks.layout.minColumnChars characters, no overlapping interactive elements;
//   typography the page's French text (lang="fr", not its parts in another language): a no-break
//              space before : ; ? ! and inside « » (the rules are scripts/audit.py's);
//   axe        axe-core, every rule it runs by default, violations of the listed impacts, at
//              each width of checks.axe.widths (a phone's and a desktop's);
//   pa11y      HTML_CodeSniffer, WCAG 2 AA, errors (not warnings or notices);
//   lighthouse mobile or desktop: category scores (minScores) and budgets (numeric values of
//              Lighthouse audits, e.g. cumulative-layout-shift 0). A page audited in both
//              languages gets one form factor per language (formFactorsByLanguage: German on
//              a phone, French on a desktop), any other page both. A page reached by a form
//              submission is audited as it is (Lighthouse's snapshot mode, no performance);
//              a page with another status than 200 through the front server's status-200 door.
// It prints one table (page × tool) and then every failure with its tool, rule and element,
// writes test-artifacts/audit/results.json (and a Lighthouse HTML report for each failing run),
// and exits 1 on any failure.

import { execFileSync, fork } from "node:child_process";
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
const DESKTOP_WIDTH = Math.max(...checks.widths); // pa11y audits the page at this width

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

async function fill(tab, selector, value) {
  await tab.$eval(
    selector,
    (element, text) => {
      element.focus();
      element.value = text;
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    },
    value,
  );
}

/** Opens the page (logged in if it says so) and plays its steps; returns the final response. */
async function open(tab, page) {
  await tab.setExtraHTTPHeaders({ "Accept-Language": page.language });
  if (page.login) await logIn(tab);
  let response = await tab.goto(plan.baseUrl + page.path, { waitUntil: "load", timeout: NAVIGATION_TIMEOUT });
  let posted = false;
  for (const step of page.steps || []) {
    // A field's value is set at once, as a paste would, and announced with the events typing
    // sends: keystroke by keystroke, a pasted programme table took half a minute per opening.
    for (const [selector, value] of Object.entries(step.fill || {})) await fill(tab, selector, value);
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

// In the page: a short CSS selector naming an element (with :nth-of-type where its siblings
// share its tag), and the outermost elements wider than the window (their parent is not), i.e.
// the ones to fix.
const IN_PAGE_HELPERS = `
window.__auditSelector = (element) => {
  const parts = [];
  for (let el = element; el && el.nodeType === 1 && parts.length < 4; el = el.parentElement) {
    if (el.id) { parts.unshift(el.localName + "#" + el.id); break; }
    const classes = [...el.classList].slice(0, 2).map((c) => "." + c).join("");
    const siblings = el.parentElement ? [...el.parentElement.children].filter((s) => s.localName === el.localName) : [el];
    const nth = siblings.length > 1 ? ":nth-of-type(" + (siblings.indexOf(el) + 1) + ")" : "";
    parts.unshift(el.localName + classes + nth);
  }
  return parts.join(" > ");
};
// Hidden on purpose: visually hidden for screen readers (clip, clip-path, a 1-pixel box). The
// checks renew the cache at each width.
window.__auditHiddenOnPurpose = (element) => {
  const cache = (window.__auditHiddenCache ||= new WeakMap());
  if (!element || element === document.documentElement) return false;
  if (!cache.has(element)) {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    cache.set(
      element,
      (style.clip !== "auto" && /absolute|fixed/.test(style.position)) ||
        (style.clipPath !== "none" && style.clipPath !== "") ||
        (style.overflow !== "visible" && (box.width <= 2 || box.height <= 2)) ||
        window.__auditHiddenOnPurpose(element.parentElement),
    );
  }
  return cache.get(element);
};
// The box whose lines an element's text fills: the element, or its nearest non-inline ancestor.
window.__auditBlockOf = (element) => {
  let block = element;
  while (block.parentElement && /^(inline|contents)$/.test(getComputedStyle(block).display)) block = block.parentElement;
  return block;
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

/** In the page (after IN_PAGE_HELPERS), with a window as tall as the page, so that every point of
 * it can be hit-tested: what a reader cannot read. Returns findings {rule, element, key, message};
 * `key` names the same finding at another width.
 *   text-clipped            a line of text cut by an ancestor that hides its overflow (overflow
 *                           hidden or clip, text-overflow: ellipsis), or by the window's left edge;
 *   text-covered            a line of text under another element that paints over it (hit-tested
 *                           with document.elementsFromPoint where their boxes meet);
 *   text-column-too-narrow  text wrapping onto several lines in a box narrower than
 *                           `minColumnChars` of its average characters (canvas measureText in its
 *                           font) and narrower than its longest word, which it therefore breaks;
 *   targets-overlap         two visible interactive elements whose boxes overlap by more than
 *                           `tolerance` px both ways (not an element and its descendants or labels).
 * Text hidden on purpose is left alone: display: none, a closed <details>, transparent, visually
 * hidden for screen readers (clip, a 1-pixel box), scrolled out of a scrolling box, or entirely
 * outside the box that clips it where no box around it is cut through (a collapsed menu). */
function layoutFindings({ minColumnChars, tolerance }) {
  const selectorOf = window.__auditSelector;
  const findings = [];
  const VISIBLE = {
    checkOpacity: true,
    opacityProperty: true,
    checkVisibilityCSS: true,
    visibilityProperty: true,
    contentVisibilityAuto: true,
  };
  const SKIPPED = "script, style, noscript, template, select, option, optgroup, datalist, textarea, title, svg";
  const REPLACED = "img, svg, video, canvas, iframe, object, embed, input, select, textarea, button, progress, meter";
  const INTERACTIVE =
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex='-1'])";

  const styles = new Map();
  const style = (el) => styles.get(el) || styles.set(el, getComputedStyle(el)).get(el);
  const excerpt = (text, length = 40) => {
    const clean = text.replace(/\s+/g, " ").trim();
    return clean.length > length ? `${clean.slice(0, length - 1)}…` : clean;
  };
  const related = (a, b) => a === b || a.contains(b) || b.contains(a);
  const intersect = (a, b) => ({
    left: Math.max(a.left, b.left),
    top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right),
    bottom: Math.min(a.bottom, b.bottom),
  });
  const isEmpty = (r) => r.right - r.left < 1 || r.bottom - r.top < 1;
  const box = (r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });

  window.__auditHiddenCache = new WeakMap(); // (what is hidden depends on the width)
  const hiddenOnPurpose = window.__auditHiddenOnPurpose;
  // The width of a text in an element's font, as the element shows it (text-transform).
  const canvas = document.createElement("canvas").getContext("2d");
  const measure = (cs, text) => {
    canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const shown = { uppercase: text.toUpperCase(), lowercase: text.toLowerCase() }[cs.textTransform] || text;
    return canvas.measureText(shown).width;
  };
  const blockOf = window.__auditBlockOf;

  // --- Each visible line of text.
  const lines = []; // {element, rect, text}
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const narrowBlocks = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.data.trim() || !element || element.closest(SKIPPED) || !element.checkVisibility(VISIBLE)) continue;
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width >= 1 && r.height >= 1);
    if (!rects.length || hiddenOnPurpose(element)) continue;
    const text = excerpt(node.data);
    for (const rect of rects) lines.push({ element, rect: box(rect), text });

    // Squeezed: several lines in a column narrower than minColumnChars of its average characters,
    // too narrow for its words (a column of whole short words, a narrow table heading, reads fine).
    const rows = rects
      .map((r) => (r.top + r.bottom) / 2)
      .sort((a, b) => a - b)
      .filter((middle, i, all) => i === 0 || middle - all[i - 1] > rects[0].height / 2);
    if (rows.length < 2 || narrowBlocks.has(blockOf(element))) continue;
    const block = blockOf(element);
    const blockStyle = style(block);
    const width = block.clientWidth - parseFloat(blockStyle.paddingLeft) - parseFloat(blockStyle.paddingRight);
    const words = node.data.trim().split(/\s+|(?<=[-‐–/])/);
    const characters = measure(style(element), words.join("")) / words.join("").length;
    const widest = words.reduce((a, b) => (measure(style(element), b) > measure(style(element), a) ? b : a));
    const widestWidth = measure(style(element), widest);
    if (width > 0 && width < minColumnChars * characters && widestWidth > width + 1) {
      narrowBlocks.add(block);
      findings.push({
        rule: "text-column-too-narrow",
        element: selectorOf(block),
        key: `text-column-too-narrow|${selectorOf(block)}|${text}`,
        message:
          `"${text}" wraps onto ${rows.length} lines in a column ${Math.round(width)} px wide ` +
          `(${(width / characters).toFixed(1)} characters, fewer than ${minColumnChars}), ` +
          `too narrow for "${excerpt(widest, 30)}" (${Math.round(widestWidth)} px)`,
      });
    }
  }

  // --- Clipped: the part of each line its ancestors leave visible. An absolutely positioned box
  // escapes the overflow of the ancestors between it and its containing block; a fixed one, all.
  const clipBox = (el) => {
    if (el === document.documentElement || el === document.body) {
      return { left: 0, top: -Infinity, right: document.documentElement.clientWidth, bottom: Infinity };
    }
    const r = el.getBoundingClientRect();
    const left = r.left + el.clientLeft;
    const top = r.top + el.clientTop;
    return { left, top, right: left + el.clientWidth, bottom: top + el.clientHeight };
  };
  const cutThrough = (element, clipper, limit) => {
    for (let el = element; el && el !== clipper; el = el.parentElement) {
      if (/^(inline|contents)$/.test(style(el).display)) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) return false; // a collapsed box: hidden on purpose
      if (!isEmpty(intersect(box(r), limit))) return true;
    }
    return false;
  };
  const clips = (value) => value === "hidden" || value === "clip";
  const scrolls = (value) => value === "auto" || value === "scroll";
  const clipped = new Map(); // key -> finding
  const visibleLines = [];
  for (const line of lines) {
    const { element, rect, text } = line;
    const slack = { x: tolerance, y: Math.max(tolerance, 0.15 * (rect.bottom - rect.top)) };
    let visible = rect;
    let escapes = null;
    let hidden = false;
    const cuts = [];
    for (let el = element; el && !hidden; el = el.parentElement) {
      const cs = style(el);
      const skipped = escapes === "fixed" || (escapes === "absolute" && cs.position === "static");
      if (escapes === "absolute" && cs.position !== "static") escapes = null;
      if (!skipped) {
        const limits = clipBox(el);
        const [byX, byY] = [clips(cs.overflowX), clips(cs.overflowY)];
        const [scrollsX, scrollsY] = [scrolls(cs.overflowX), scrolls(cs.overflowY)];
        const limit = {
          left: byX || scrollsX ? limits.left : -Infinity,
          right: byX || scrollsX ? limits.right : Infinity,
          top: byY || scrollsY ? limits.top : -Infinity,
          bottom: byY || scrollsY ? limits.bottom : Infinity,
        };
        const kept = intersect(visible, limit);
        if (isEmpty(kept)) {
          // Entirely outside: hidden on purpose (a collapsed menu), unless the clipping cuts
          // through a box around the text (its button, the row of buttons it belongs to).
          if (!scrollsX && !scrollsY && cutThrough(element, el, limit)) cuts.push({ by: el, how: "entirely" });
          hidden = true;
        } else if (byX || byY) {
          const sides = [];
          const cut = (pixels, slackOf, where) => pixels > slackOf && sides.push(`${Math.round(pixels)} px ${where}`);
          cut(limit.left - visible.left, slack.x, "on the left");
          cut(visible.right - limit.right, slack.x, "on the right");
          cut(limit.top - visible.top, slack.y, "at the top");
          cut(visible.bottom - limit.bottom, slack.y, "at the bottom");
          if (sides.length) cuts.push({ by: el, how: sides.join(", ") });
          visible = kept;
        } else {
          visible = kept; // a scrolling box: what lies outside it can be scrolled to
        }
        if (cs.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth + 1) {
          cuts.push({ by: el, how: "shortened with an ellipsis" });
        }
      }
      if (cs.position === "fixed") escapes = "fixed";
      else if (cs.position === "absolute" && escapes !== "fixed") escapes = "absolute";
    }
    if (!hidden && visible.right <= 0) hidden = true; // wholly left of the page: hidden on purpose
    else if (!hidden && visible.left < -slack.x) {
      cuts.push({ by: null, how: `${Math.round(-visible.left)} px on the left` });
      visible = intersect(visible, { left: 0, top: -Infinity, right: Infinity, bottom: Infinity });
    }
    for (const { by, how } of cuts) {
      const clipper = by ? selectorOf(by) : "the window's left edge";
      const key = `text-clipped|${selectorOf(element)}|${text}|${clipper}`;
      if (!clipped.has(key)) {
        clipped.set(key, {
          rule: "text-clipped",
          element: selectorOf(element),
          key,
          message: `"${text}" is cut off by ${clipper} (${how})`,
        });
      }
    }
    if (!hidden) visibleLines.push({ ...line, visible });
  }
  findings.push(...clipped.values());

  // --- Covered: where a line of text meets the box of another element that paints (a background,
  // an image or a form control, or its own text), the topmost element there is asked for, in the
  // middle half of the line's height (where the letters are).
  const transparent = (cs) =>
    cs.backgroundImage === "none" && /^(transparent|rgba\([^)]*,\s*0\))$/.test(cs.backgroundColor);
  const painters = visibleLines.map(({ element, visible }) => ({ element, box: visible }));
  for (const el of document.body.querySelectorAll("*")) {
    if ((!transparent(style(el)) || el.matches(REPLACED)) && el.checkVisibility(VISIBLE) && !hiddenOnPurpose(el)) {
      for (const r of el.getClientRects()) if (r.width >= 1 && r.height >= 1) painters.push({ element: el, box: box(r) });
    }
  }
  const BAND = 256; // painters by bands of the page's height, to meet only those nearby
  const bands = new Map();
  const bandsOf = (r) => {
    const first = Math.floor(Math.max(r.top, 0) / BAND);
    const last = Math.floor(Math.max(r.bottom, 0) / BAND);
    return Array.from({ length: Math.min(last - first + 1, 1000) }, (_, i) => first + i);
  };
  for (const painter of painters) {
    for (const band of bandsOf(painter.box)) (bands.get(band) || bands.set(band, []).get(band)).push(painter);
  }
  const linesOf = new Map();
  for (const { element, visible } of visibleLines) {
    if (!linesOf.has(element)) linesOf.set(element, []);
    linesOf.get(element).push(visible);
  }
  const paintsAt = (el, x, y) =>
    el.matches(REPLACED) ||
    !transparent(style(el)) ||
    (linesOf.get(el) || []).some((r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom);
  const covered = new Map();
  for (const { element, visible, text } of visibleLines) {
    const height = visible.bottom - visible.top;
    const middle = { ...visible, top: visible.top + height / 4, bottom: visible.bottom - height / 4 };
    const nearby = new Set(bandsOf(middle).flatMap((band) => bands.get(band) || []));
    for (const painter of nearby) {
      if (related(painter.element, element)) continue;
      const meet = intersect(middle, painter.box);
      if (meet.right - meet.left <= tolerance || meet.bottom - meet.top <= 0) continue;
      const y = (meet.top + meet.bottom) / 2;
      for (const x of [meet.left + 1, (meet.left + meet.right) / 2, meet.right - 1]) {
        if (x < 0 || x >= innerWidth || y < 0 || y >= innerHeight) continue;
        const above = document.elementsFromPoint(x, y).find((el) => related(el, element) || paintsAt(el, x, y));
        if (!above || related(above, element)) continue;
        const key = `text-covered|${selectorOf(element)}|${text}|${selectorOf(above)}`;
        const share = Math.round((100 * (meet.right - meet.left)) / (visible.right - visible.left));
        if (!covered.has(key)) {
          const label = excerpt(above.textContent || above.getAttribute("aria-label") || "", 30);
          covered.set(key, {
            rule: "text-covered",
            element: selectorOf(element),
            key,
            message: `"${text}" lies under ${selectorOf(above)}${label ? ` ("${label}")` : ""} (${share}% of the line)`,
          });
        }
        break;
      }
    }
  }
  findings.push(...covered.values());

  // --- Overlapping interactive elements (each fragment of a link that wraps counts on its own).
  const controls = [...document.body.querySelectorAll(INTERACTIVE)]
    .filter((el) => el.checkVisibility(VISIBLE) && !hiddenOnPurpose(el))
    .map((el) => ({
      el,
      rects: [...el.getClientRects()].filter((r) => r.width > tolerance && r.height > tolerance).map(box),
    }))
    .filter(({ rects }) => rects.length);
  const labelled = (a, b) => [...(a.labels || [])].some((label) => label.contains(b));
  const name = (el) =>
    excerpt(el.textContent || el.value || el.getAttribute("aria-label") || el.getAttribute("title") || "", 30);
  for (let i = 0; i < controls.length; i++) {
    for (let j = i + 1; j < controls.length; j++) {
      const [a, b] = [controls[i], controls[j]];
      const overlap = a.rects
        .flatMap((ra) => b.rects.map((rb) => intersect(ra, rb)))
        .find((o) => o.right - o.left > tolerance && o.bottom - o.top > tolerance);
      if (!overlap || related(a.el, b.el) || labelled(a.el, b.el) || labelled(b.el, a.el)) continue;
      const element = `${selectorOf(a.el)}, ${selectorOf(b.el)}`;
      findings.push({
        rule: "targets-overlap",
        element,
        key: `targets-overlap|${element}`,
        message:
          `"${name(a.el)}" and "${name(b.el)}" overlap by ` +
          `${Math.round(overlap.right - overlap.left)} × ${Math.round(overlap.bottom - overlap.top)} px`,
      });
    }
  }
  return findings;
}

/** In the page: its French text (wherever the nearest lang attribute says fr), block by block as
 * it reads — whitespace collapsed, no-break spaces kept — without what is in another language,
 * code, or form fields: [{element, text}]. */
function frenchText() {
  const EXCLUDED = "script, style, noscript, template, code, kbd, samp, pre, var, textarea, select, option, svg";
  const VISIBLE = { checkVisibilityCSS: true, visibilityProperty: true, contentVisibilityAuto: true };
  window.__auditHiddenCache = new WeakMap();
  const blocks = [];
  let current = null;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.localName === "br" && current) current.text += "\u2028"; // a line break of its own
    if (node.nodeType !== Node.TEXT_NODE) continue;
    const element = node.parentElement;
    if (!element || element.closest(EXCLUDED) || !element.checkVisibility(VISIBLE)) continue;
    if (window.__auditHiddenOnPurpose(element)) continue; // read aloud, never seen
    if (!/^fr(-|$)/i.test(element.closest("[lang]")?.getAttribute("lang") || "")) {
      current = null;
      continue;
    }
    const block = window.__auditBlockOf(element);
    if (current?.block !== block) blocks.push((current = { block, text: "" }));
    current.text += node.data;
  }
  return blocks
    .map(({ block, text }) => ({
      element: window.__auditSelector(block),
      text: text.replace(/[ \t\n\r\f]+/g, " ").replace(/ ?\u2028 ?/g, "\n").trim(),
    }))
    .filter(({ text }) => text);
}

// The layout checks hit-test every point of the page: the window is made as tall as the page
// (up to this height) for them, so that no point lies below it.
const TALLEST_WINDOW = 40_000;
const WIDTH_TOOLS = ["overflow", "layout", "typography"];

/** At each width of checks.widths, in the page as it was opened: the overflow check, the layout
 * checks (in a window as tall as the page) and the French text; then the typography check of
 * that text (scripts/audit.py's rules). A finding seen at several widths is one failure naming
 * them. */
async function atEachWidth(tab, result) {
  await tab.evaluate(IN_PAGE_HELPERS);
  const cells = { overflow: [], layout: [] };
  const layoutFound = new Map();
  const frenchBlocks = new Map();
  for (const width of checks.widths) {
    await tab.setViewport({ width, height: 800 });
    await check(result, "overflow", async () => {
      const { width: scrollWidth, culprits } = await tab.evaluate(() => window.__auditOverflow());
      cells.overflow.push(scrollWidth > width ? `${scrollWidth}px` : "ok");
      if (scrollWidth > width) {
        result.fail("overflow", `page-wider-than-${width}px`, culprits.join(", "), `${scrollWidth} px wide (WCAG 1.4.10)`);
      }
    });
    await check(result, "layout", async () => {
      const height = await tab.evaluate(() => document.documentElement.scrollHeight);
      await tab.setViewport({ width, height: Math.min(Math.max(height, 800), TALLEST_WINDOW) });
      const found = await tab.evaluate(layoutFindings, checks.layout);
      cells.layout.push(found.length ? String(found.length) : "ok");
      for (const finding of found) {
        if (!layoutFound.has(finding.key)) layoutFound.set(finding.key, { ...finding, widths: [] });
        layoutFound.get(finding.key).widths.push(width);
      }
    });
    await check(result, "typography", async () => {
      for (const block of await tab.evaluate(frenchText)) frenchBlocks.set(`${block.element}\n${block.text}`, block);
    });
  }
  for (const { rule, element, message, widths } of layoutFound.values()) {
    const [first, ...others] = widths;
    const more = others.length ? ` (also at ${others.join(", ")} px)` : "";
    result.fail("layout", rule, element, `at ${first} px: ${message}${more}`);
  }
  await check(result, "typography", async () => {
    const found = frenchTypography([...frenchBlocks.values()]);
    for (const { rule, element, message } of found) result.fail("typography", rule, element, message);
    if (result.cells.typography !== "error") result.cells.typography = String(found.length);
  });
  for (const [tool, cell] of Object.entries(cells)) {
    if (tools.has(tool) && result.cells[tool] !== "error") result.cells[tool] = cell.join(" ");
  }
}

/** Runs one tool's part (if the tool is chosen), timed; an error fails that tool, not the page. */
async function check(result, tool, work) {
  if (!tools.has(tool)) return;
  try {
    await timed(result, tool, work);
  } catch (error) {
    result.fail(tool, "tool-error", "", String(error.message || error).split("\n")[0]);
    result.cells[tool] = "error";
  }
}

/** The French typography rules of scripts/audit.py (`--french-typography`: blocks of text in as
 * JSON, findings out), applied to the French text of a page. */
function frenchTypography(blocks) {
  if (!blocks.length) return [];
  const output = execFileSync(plan.python, [plan.script, "--french-typography"], {
    input: JSON.stringify(blocks),
    encoding: "utf8",
  });
  return JSON.parse(output);
}

async function axe(tab, result) {
  await tab.evaluate(AXE_SOURCE);
  // Every rule axe runs by default, and those the config switches on (WCAG 2.2's target-size).
  const rules = Object.fromEntries((checks.axe.enable || []).map((id) => [id, { enabled: true }]));
  // At a phone's width and a desktop's: since Lighthouse (whose accessibility category is axe
  // too) audits each page in one form factor only, axe covers both, in both languages.
  const found = new Map(); // rule and element → the violation and the widths it is seen at
  for (const width of checks.axe.widths || [DESKTOP_WIDTH]) {
    await tab.setViewport({ width, height: 900 });
    const { violations } = await tab.evaluate(
      (rules) => window.axe.run(document, { resultTypes: ["violations"], rules }),
      rules,
    );
    for (const violation of violations.filter((v) => checks.axe.impacts.includes(v.impact))) {
      for (const node of violation.nodes.slice(0, 5)) {
        const key = `${violation.id} ${node.target.join(" ")}`;
        if (!found.has(key)) found.set(key, { violation, element: node.target.join(" "), widths: [] });
        found.get(key).widths.push(width);
      }
    }
  }
  for (const { violation, element, widths } of found.values()) {
    result.fail("axe", violation.id, element, `${violation.impact}: ${violation.help} (at ${widths.join(" and ")} px)`);
  }
  result.cells.axe = String(new Set([...found.values()].map(({ violation }) => violation.id)).size);
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
    viewport: { width: DESKTOP_WIDTH, height: 900 },
    timeout: NAVIGATION_TIMEOUT,
    log: QUIET,
  });
  const errors = report.issues.filter((issue) => issue.type === "error");
  for (const issue of errors.slice(0, 10)) result.fail("pa11y", issue.code, issue.selector, issue.message);
  result.cells.pa11y = String(errors.length);
}

// What Lighthouse would gather for nothing the audit reads: the full-page screenshot (element
// thumbnails in the HTML report) and the back/forward cache test (it leaves the page and comes
// back), whose audit weighs 0 in the performance category and holds no budget. Without them a
// run takes about 2 s less; every score, metric and budget is the same (docs/quality-gate.md).
const NOT_GATHERED = { disableFullPageScreenshot: true, skipAudits: ["bf-cache"] };

function lighthouseConfig(formFactor, categories) {
  const base = formFactor === "desktop" ? desktopConfig : { extends: "lighthouse:default" };
  return {
    ...base,
    settings: {
      ...(base.settings || {}),
      ...NOT_GATHERED,
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

/** The form factors Lighthouse audits ``page`` in: with formFactorsByLanguage, one per language
 * when the plan holds the page in every language of that setting (both form factors are then
 * audited for the page, each in one language); otherwise, e.g. ``make audit PAGE=…``, all. */
function lighthouseFormFactors(page) {
  const byLanguage = checks.lighthouse.formFactorsByLanguage;
  if (!byLanguage || !byLanguage[page.language]) return checks.lighthouse.formFactors;
  const planned = new Set(plan.pages.filter((other) => other.name === page.name).map((other) => other.language));
  return Object.keys(byLanguage).every((language) => planned.has(language))
    ? byLanguage[page.language]
    : checks.lighthouse.formFactors;
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

/** Runs work, adding its duration to the tool's seconds (a tool may run at several widths). */
async function timed(result, tool, work) {
  const started = Date.now();
  try {
    return await work();
  } finally {
    result.seconds[tool] = Math.round((result.seconds[tool] || 0) * 10 + (Date.now() - started) / 100) / 10;
  }
}

/** The config's "allow" entry that accepts this finding: same rule, a tool that starts with the
 * entry's tool, a page label that matches the entry's page pattern ("*" for any text) and, if the
 * entry names one, an element that matches its element pattern. */
function allowanceFor(finding) {
  const matches = (pattern, text) =>
    new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(text);
  return (plan.allow || []).find(
    (entry) =>
      entry.rule === finding.rule &&
      finding.tool.startsWith(entry.tool) &&
      matches(entry.page || "*", finding.page) &&
      matches(entry.element || "*", finding.element || ""),
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
    if (WIDTH_TOOLS.some((tool) => tools.has(tool))) await atEachWidth(tab, result);
    await check(result, "axe", () => axe(tab, result));
    await check(result, "pa11y", () => runPa11y(browser, tab, result));
    await tab.close();
    if (tools.has("lighthouse")) {
      for (const formFactor of lighthouseFormFactors(page)) {
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
  // The longest pages first, so that no browser is left with one of them at the end while the
  // others wait: the staff pages reached by steps (a change form, the paste preview) take several
  // times as long as a public page. The table keeps the plan's order.
  const cost = (page) => (page.login ? 10 : 0) + (page.steps?.length || 0);
  const queue = plan.pages.map((page, index) => ({ page, index })).sort((a, b) => cost(b.page) - cost(a.page));
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
    ...(tools.has("layout") ? [[`layout ${checks.widths.join("/")}`, (r) => r.cells.layout]] : []),
    ...(tools.has("typography") ? [["typography", (r) => r.cells.typography]] : []),
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
