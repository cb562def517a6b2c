// Drives the admin endpoint's live view in headless chromium (LiveViewBrowserTest, and the
// screenshot in docs/LIVE-VIEW.md). Usage:
//   node live-view.mjs URL NODES [--screenshot FILE] [--timeout SECONDS] [--chromium PATH]
// Opens URL, waits until the overlay graph shows NODES nodes and prints "READY"; then waits for an
// item that was not there before to be shown reaching all NODES nodes, hop by hop, and prints
// "SPREAD <item> <reached> <hops drawn>". Exit status 0 on success, 1 with a description otherwise.
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const url = args[0];
const nodes = Number(args[1]);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const screenshot = opt('--screenshot', null);
const timeout = Number(opt('--timeout', '40')) * 1000;
const executablePath = opt('--chromium', '/usr/bin/chromium');

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'], headless: true });
let status = 1;
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 }, deviceScaleFactor: 1 });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(url);
  await page.waitForFunction((n) => {
    const s = document.getElementById('graph-summary');
    return s && Number(s.dataset.nodes || 0) >= n && document.querySelectorAll('#graph g.node').length >= n;
  }, nodes, { timeout });
  const before = await page.evaluate(() => [...document.querySelectorAll('#items tr[data-item]')].map((r) => r.dataset.item));
  console.log('READY');
  const handle = await page.waitForFunction(({ n, before }) => {
    const s = document.getElementById('tree-summary');
    if (!s || !s.dataset.item || before.includes(s.dataset.item)) return null;
    if (Number(s.dataset.reached) < n) return null;
    const row = document.querySelector(`#items tr[data-item="${s.dataset.item}"]`);
    const coloured = document.querySelectorAll('#graph g.node[data-hops]').length;
    const arrows = document.querySelectorAll('#tree-edges line.tree').length;
    if (!row || coloured < n || arrows < n - 1) return null;
    return `${s.dataset.item} ${s.dataset.reached} ${arrows}`;
  }, { n: nodes, before }, { timeout, polling: 200 });
  console.log(`SPREAD ${await handle.jsonValue()}`);
  if (screenshot) {
    await page.waitForTimeout(1500); // the layout settles
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`SCREENSHOT ${screenshot}`);
  }
  if (problems.length > 0) {
    console.log(`PROBLEMS ${problems.join(' | ')}`);
  } else {
    status = 0;
  }
} catch (e) {
  console.log(`FAILED ${e.message.split('\n')[0]}`);
} finally {
  await browser.close();
}
process.exit(status);
