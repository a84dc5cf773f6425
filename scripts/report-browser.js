#!/usr/bin/env node
// Driver of scripts/report-browser: opens `weightlint report` pages in headless Chromium
// (Debian's, through playwright-core) and checks what a reader's browser would do with them.
//
//   NODE_PATH=target/report-browser/node_modules node scripts/report-browser.js \
//     [--chromium PATH] --page FILE.html [--check-json FILE] [--date D] [--hostile] [--must-fail] \
//     [--page ...]
//
// Each --page writes FILE.png (full page) and FILE.pdf (A4) beside FILE.html and checks:
//  - the page loaded with its own CSP: no console message of level error or warning, no
//    page error, no dialog, no CSP violation (Chromium's Audits issues and Log entries, read
//    over CDP, besides Playwright's console events), no request but the page itself;
//  - loaded again with the CSP bypassed (as a viewer that ignores the meta tag would):
//    still no dialog or page error, the same title and the same DOM: nothing ran;
//  - the contract: doctype, lang, charset, the exact CSP meta, a title, <nav> whose #links
//    all resolve, the eight sections, no script/img/iframe/object/embed/base/link element,
//    no on* attribute, no javascript: URL;
//  - with --check-json (the output of `weightlint check DIR --format json`):
//    svg.lineage in section#lineage when some model has a base model or a dataset, one
//    table.openness per model, one article.finding per diagnostic, and a pre.source in each
//    article whose diagnostic has a line (p.nosource in the others);
//  - with --date: the page shows that date;
//  - with --hostile: the hostile card's values appear in the page as text (escaped, not
//    dropped or parsed as markup), and none of its bidi overrides or zero-width characters
//    is in the text raw.
// --must-fail inverts the verdict: the page is a negative control and must be rejected
// (no PNG or PDF is made of it).
// Exit status: 0 when every page got its expected verdict, 1 otherwise.
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
const SECTIONS = [
  'summary',
  'profile',
  'models',
  'lineage',
  'openness',
  'findings',
  'unknowns',
  'suppressed',
];
// Values of the hostile card (scripts/report-browser writes it) that must show as text.
const HOSTILE_TEXT = [
  '<script>alert(1)</script>',
  "x/</table><script>document.title='pwned'</script>",
  '"><img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
];

function parseArgs(argv) {
  const opts = { chromium: '/usr/bin/chromium', pages: [] };
  let cur = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--chromium') opts.chromium = value();
    else if (a === '--page')
      opts.pages.push(
        (cur = { html: value(), checkJson: null, date: null, hostile: false, mustFail: false }),
      );
    else if (!cur) throw new Error(`${a} before any --page`);
    else if (a === '--check-json') cur.checkJson = value();
    else if (a === '--hostile') cur.hostile = true;
    else if (a === '--date') cur.date = value();
    else if (a === '--must-fail') cur.mustFail = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.pages.length) throw new Error('no --page given');
  return opts;
}

// The <title> as written in the file (entities decoded), to compare with document.title.
function rawTitle(html) {
  const m = /<title>([^<]*)<\/title>/i.exec(html);
  if (!m) return null;
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return m[1]
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, e) =>
      e[0] === '#'
        ? String.fromCodePoint(parseInt(e.slice(1).replace(/^x/i, '0x')))
        : (named[e.toLowerCase()] ?? all),
    )
    .replace(/\s+/g, ' ')
    .trim();
}

// Loads the page in a fresh context, recording everything that should never happen.
async function load(browser, url, bypassCSP) {
  const context = await browser.newContext({ bypassCSP, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const events = [];
  const seen = new Set(); // one violation reaches us by up to three roads: report it once
  const add = (label, text) => {
    if (seen.has(text)) return;
    seen.add(text);
    events.push(`${label}: ${text}`);
  };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') add(`console ${m.type()}`, m.text());
  });
  page.on('pageerror', (e) => add('page error', e.message));
  page.on('dialog', (d) => {
    add(`dialog ${d.type()}`, d.message());
    d.dismiss().catch(() => {});
  });
  page.on('request', (r) => {
    if (r.url() !== url) add('request', r.url());
  });
  // Chromium files a CSP violation as an Audits issue and as a Log entry; ask for both so
  // that a blocked inline script or handler is caught whatever Playwright forwards.
  const cdp = await context.newCDPSession(page);
  cdp.on('Audits.issueAdded', ({ issue }) => {
    if (issue.code === 'ContentSecurityPolicyIssue') {
      const d = issue.details.contentSecurityPolicyIssueDetails || {};
      events.push(
        `CSP violation: ${d.violatedDirective} (${d.contentSecurityPolicyViolationType})`,
      );
    }
  });
  cdp.on('Log.entryAdded', ({ entry }) => {
    if (entry.level === 'error' || entry.level === 'warning')
      add(`log ${entry.level} [${entry.source}]`, entry.text);
  });
  await cdp.send('Audits.enable');
  await cdp.send('Log.enable');
  await page.goto(url, { waitUntil: 'load', timeout: 30000 });
  await page.waitForTimeout(200); // let late handlers (onerror of a failed load) fire
  return { context, page, events };
}

// Everything the contract says, read from the live DOM.
function inspect(expectCsp) {
  const q = (s) => Array.from(document.querySelectorAll(s));
  const dt = document.doctype;
  const metaCsp = q('meta[http-equiv]').filter(
    (m) => m.httpEquiv.toLowerCase() === 'content-security-policy',
  );
  const onAttrs = [];
  const jsUrls = [];
  for (const el of q('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) onAttrs.push(`<${el.localName} ${a.name}>`);
      if (/^\s*(javascript|vbscript):/i.test(a.value))
        jsUrls.push(`<${el.localName} ${a.name}="${a.value}">`);
    }
  }
  const articles = q('article.finding').map((a) => ({
    id: a.id,
    classes: a.className,
    source: a.querySelectorAll('pre.source').length,
    sourceText: Array.from(a.querySelectorAll('pre.source'))
      .map((p) => p.textContent.trim())
      .join(''),
    nosource: a.querySelectorAll('p.nosource').length,
  }));
  return {
    doctype: dt ? dt.name : null,
    lang: document.documentElement.lang,
    charset: document.characterSet,
    metaCharset: !!document.querySelector('head meta[charset]'),
    csp: metaCsp.map((m) => m.content),
    cspOk:
      metaCsp.length === 1 &&
      metaCsp[0].content === expectCsp &&
      metaCsp[0].closest('head') !== null,
    title: document.title,
    nav: !!document.querySelector('nav'),
    sections: q('section[id]').map((s) => s.id),
    brokenLinks: q('a[href^="#"]')
      .map((a) => a.getAttribute('href'))
      .filter((h) => h.length > 1 && !document.getElementById(decodeURIComponent(h.slice(1)))),
    forbidden: q(
      'script, img, image, iframe, frame, object, embed, base, link, form, meta[http-equiv="refresh" i]',
    ).map((e) => `<${e.localName}>`),
    onAttrs,
    jsUrls,
    lineage: q('svg.lineage').map((s) => ({
      inSection: !!s.closest('section#lineage'),
      role: s.getAttribute('role'),
    })),
    lineageText: !!document.querySelector('section#lineage p'),
    openness: q('table.openness').map((t) => !!t.closest('section#openness')),
    articles,
    width: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    text: document.documentElement.textContent,
    dom: document.documentElement.outerHTML,
  };
}

async function checkPage(browser, spec) {
  const fails = [];
  const notes = [];
  const file = path.resolve(spec.html);
  const html = fs.readFileSync(file, 'utf8');
  const url = pathToFileURL(file).href;
  const base = file.replace(/\.html?$/i, '');
  const png = `${base}.png`;
  const pdf = `${base}.pdf`;

  const t0 = Date.now();
  const strict = await load(browser, url, false);
  const d = await strict.page.evaluate(inspect, CSP);
  if (!spec.mustFail) {
    // Not for negative controls: their verdict is all that matters.
    await strict.page.screenshot({ path: png, fullPage: true });
    // A printer's margins, as a browser's print dialog gives them (page.pdf's default is none).
    const margin = { top: '1cm', right: '1cm', bottom: '1cm', left: '1cm' };
    await strict.page.pdf({ path: pdf, format: 'A4', printBackground: true, margin });
    const head = fs.readFileSync(pdf).subarray(0, 5).toString('latin1');
    if (head !== '%PDF-' || fs.statSync(pdf).size < 1000) fails.push(`${pdf} is not a PDF`);
  }
  fails.push(...strict.events); // including anything the screenshot or the print set off
  await strict.context.close();

  const loose = await load(browser, url, true);
  fails.push(...loose.events.map((e) => `with the CSP bypassed: ${e}`));
  const l = await loose.page.evaluate(inspect, CSP);
  await loose.context.close();

  if (d.width > d.viewport)
    notes.push(
      `the page is wider than the window (${d.width}px > ${d.viewport}px): something does not wrap`,
    );

  // Contract.
  if (!/^\s*<!DOCTYPE html>/i.test(html) || d.doctype !== 'html')
    fails.push('no <!DOCTYPE html> at the top');
  if (d.lang !== 'en') fails.push(`<html lang="${d.lang}">, expected "en"`);
  if (!d.metaCharset || d.charset !== 'UTF-8')
    fails.push(`charset ${d.charset} (meta charset: ${d.metaCharset})`);
  if (!d.cspOk)
    fails.push(`CSP meta: ${JSON.stringify(d.csp)}, expected exactly one in <head>: ${CSP}`);
  if (!d.title.trim()) fails.push('empty <title>');
  const expectedTitle = rawTitle(html);
  if (expectedTitle !== null && d.title.replace(/\s+/g, ' ').trim() !== expectedTitle)
    fails.push(`title changed: "${d.title}", the file says "${expectedTitle}"`);
  if (l.title !== d.title)
    fails.push(`with the CSP bypassed the title became "${l.title}" (was "${d.title}")`);
  if (l.dom !== d.dom)
    fails.push('with the CSP bypassed the DOM differs: something in the page ran');
  if (!d.nav) fails.push('no <nav>');
  if (spec.date && !d.text.includes(spec.date))
    fails.push(`the date ${spec.date} given with --date is not on the page`);
  const missing = SECTIONS.filter((s) => !d.sections.includes(s));
  if (missing.length) fails.push(`missing section(s): ${missing.map((s) => '#' + s).join(' ')}`);
  if (d.brokenLinks.length)
    fails.push(`links to no element: ${[...new Set(d.brokenLinks)].join(' ')}`);
  if (d.forbidden.length)
    fails.push(
      `forbidden element(s): ${[...new Set(d.forbidden)].join(' ')} (${d.forbidden.length})`,
    );
  if (d.onAttrs.length)
    fails.push(
      `event-handler attribute(s): ${d.onAttrs.slice(0, 5).join(' ')} (${d.onAttrs.length})`,
    );
  if (d.jsUrls.length) fails.push(`script URL(s): ${d.jsUrls.slice(0, 3).join(' ')}`);

  // Findings.
  const arts = d.articles;
  if (!arts.length) fails.push('no article.finding');
  const ids = arts.map((a) => a.id);
  const badIds = ids.filter((id, i) => !/^finding-\d+$/.test(id) || ids.indexOf(id) !== i);
  if (badIds.length)
    fails.push(`article.finding ids not unique finding-N: ${badIds.slice(0, 5).join(' ')}`);
  const badSeverity = arts.filter((a) => !/(^|\s)(error|warning|note)(\s|$)/.test(a.classes));
  if (badSeverity.length)
    fails.push(
      `${badSeverity.length} article.finding without error|warning|note class (e.g. "${badSeverity[0].classes}")`,
    );
  const neither = arts.filter((a) => a.source + a.nosource !== 1);
  if (neither.length)
    fails.push(
      `${neither.length} article.finding without exactly one pre.source or p.nosource (e.g. #${neither[0].id})`,
    );
  const emptySource = arts.filter((a) => a.source && !a.sourceText);
  if (emptySource.length)
    fails.push(`${emptySource.length} empty pre.source (e.g. #${emptySource[0].id})`);
  const sourced = arts.filter((a) => a.source).length;

  let summary = `${arts.length} findings (${sourced} with source)`;
  if (spec.checkJson) {
    const j = JSON.parse(fs.readFileSync(spec.checkJson, 'utf8'));
    const diags = j.diagnostics;
    const withLine = diags.filter((x) => x.line != null).length;
    const models = j.models.length;
    // The page draws a lineage for named base models and datasets (check's JSON lists both)
    // and for a base the README's prose names ("built on Llama 2", not in the JSON).
    const hasBase = j.models.some((m) => (m.base_models || []).length || (m.datasets || []).length);
    if (arts.length !== diags.length)
      fails.push(`${arts.length} article.finding, but check reports ${diags.length} diagnostics`);
    if (sourced !== withLine)
      fails.push(
        `${sourced} article.finding with pre.source, but ${withLine} diagnostics have a line`,
      );
    if (d.openness.length !== models)
      fails.push(`${d.openness.length} table.openness, but check reports ${models} model(s)`);
    if (d.openness.some((inSection) => !inSection))
      fails.push('a table.openness outside section#openness');
    if (hasBase && !d.lineage.length)
      fails.push('a model has a base model or dataset, but no svg.lineage');
    if (!d.lineage.length && !d.lineageText)
      fails.push('neither an svg.lineage nor a paragraph in section#lineage');
    if (!hasBase && d.lineage.length)
      notes.push("svg.lineage drawn for a base check's JSON does not list (named in prose?)");
    if (d.lineage.some((s) => !s.inSection || s.role !== 'img'))
      fails.push('an svg.lineage outside section#lineage or without role="img"');
    summary = [
      `${arts.length}/${diags.length} findings (${sourced}/${withLine} with source)`,
      `${d.openness.length}/${models} openness tables`,
      d.lineage.length ? 'lineage svg' : 'no lineage',
    ].join(', ');
  }
  if (spec.hostile) {
    for (const t of HOSTILE_TEXT)
      if (!d.text.includes(t)) fails.push(`hostile value not shown as text: ${t}`);
    // The card's U+202E and zero-width characters must not reach the screen raw: they
    // reorder or hide what a reviewer reads.
    const raw = [
      ...new Set(d.text.match(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g) || []),
    ];
    const hex = (c) => 'U+' + c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
    if (raw.length) fails.push(`raw ${raw.map(hex).join(' ')} in the page's text`);
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  return { fails: [...new Set(fails)], notes, summary: `${summary} (${secs}s)`, png, pdf };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const browser = await chromium.launch({ executablePath: opts.chromium, timeout: 60000 });
  let bad = 0;
  try {
    for (const spec of opts.pages) {
      const name = path.basename(spec.html);
      let r;
      try {
        r = await checkPage(browser, spec);
      } catch (e) {
        r = {
          fails: [`could not check: ${e.message.split('\n')[0]}`],
          notes: [],
          summary: '',
          png: '-',
          pdf: '-',
        };
      }
      const rejected = r.fails.length > 0;
      if (spec.mustFail) {
        const first = r.fails[0].length > 110 ? `${r.fails[0].slice(0, 110)}…` : r.fails[0];
        if (rejected)
          console.log(
            `ok   ${name}: negative control rejected as it must be (${r.fails.length} problem(s); first: ${first})`,
          );
        else {
          bad++;
          console.log(`FAIL ${name}: negative control passed every check; the checks are blind`);
        }
        continue;
      }
      console.log(`${rejected ? 'FAIL' : 'ok  '} ${name}: ${r.summary}`);
      for (const f of r.fails) console.log(`       - ${f}`);
      for (const n of r.notes) console.log(`       note: ${n}`);
      console.log(`       png: ${r.png}\n       pdf: ${r.pdf}`);
      if (rejected) bad++;
    }
  } finally {
    await browser.close();
  }
  process.exitCode = bad ? 1 : 0;
}

main().catch((e) => {
  console.error(`report-browser: ${e.stack || e}`);
  process.exit(1);
});
