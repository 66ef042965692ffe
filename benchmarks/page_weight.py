"""How heavy and how usable is each page of the rendered site? Measured on 127.0.0.1.

For every page of the site (home, About, Glossary, the posts, ...), served with gzip compression as a
real host would serve it:

- bytes: what the browser downloads when a reader opens the page (fresh browser, nothing cached
  before, 360 px wide, before the classifier is asked for), counted by the server after gzip,
  and the number of requests; files are cacheable as on GitHub Pages (max-age=600), so a file
  the page links twice is fetched once; requests to other hosts are blocked (not counted);
- axe: axe-core's serious + critical violations, summed over 360 and 1280 px in light and dark
  mode (the test tests/test_rendered_site.py requires 0), and their rule names;
- widest: the right edge of the widest element at 360 px (the page fits if it is <= 360);
- Lighthouse 12 (mobile preset, simulated throttling): performance, accessibility, best
  practices and SEO scores (0-100), each the median of --runs runs (performance varies from run
  to run by a few points on a busy machine).

Usage: python -m benchmarks.page_weight [--site DIR] [--render] [--no-lighthouse] [--runs N]
                                        [--json FILE] [--pages PAGE ...]
  (from the repository root: it imports the tests' shared helpers as tests.support.site_audit)
  --site DIR       the rendered site to measure (default: _site/); pages it lacks are skipped
  --render         run `quarto render` first
  --no-lighthouse  skip Lighthouse (the other columns take ~20 s)
  --runs N         Lighthouse runs per page; the table shows the median score (default 3)
Needs: Debian's chromium, Playwright's Python package, axe-core (npm ci) and, for the scores,
Lighthouse, installed on first use with npm into .cache/lighthouse (it is not a dependency of the
site). Does not use TensorFlow.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from tests.support.site_audit import (
    PAGES,
    ROOT,
    SCHEMES,
    SITE_DIR,
    WIDTHS,
    SiteServer,
    find_quarto,
    launch,
    measure_layout,
    open_page,
    render_site,
    run_axe,
    serious,
)
from tests.widget_harness import CHROMIUM, CHROMIUM_ARGS

LIGHTHOUSE_VERSION = "12.8.2"  # runs on Node.js 18+ (Lighthouse 13 needs Node.js 22)
LIGHTHOUSE_DIR = ROOT / ".cache" / "lighthouse"
LIGHTHOUSE_CLI = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PHONE_WIDTH = min(WIDTHS)
CACHE_SECONDS = 600  # what GitHub Pages sends (Cache-Control: max-age=600)


def install_lighthouse() -> None:
    if LIGHTHOUSE_CLI.is_file():
        return
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    (LIGHTHOUSE_DIR / "package.json").write_text('{"private": true}\n', encoding="utf-8")
    print(f"Installing Lighthouse {LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR} (npm)", file=sys.stderr)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", f"lighthouse@{LIGHTHOUSE_VERSION}"],
                   cwd=LIGHTHOUSE_DIR, check=True)


def median_scores(url: str, runs: int) -> dict:
    """The median of each category's score over `runs` Lighthouse runs, every run's performance score,
    and the audits that cost points in any run."""
    results = [lighthouse_scores(url) for _ in range(runs)]
    scores = {name: statistics.median(result[name] for result in results) for name in CATEGORIES}
    scores["performance_runs"] = [result["performance"] for result in results]
    scores["lost_points"] = sorted({audit for result in results for audit in result["lost_points"]})
    return scores


def lighthouse_scores(url: str) -> dict:
    """Lighthouse's mobile scores for one page (0-100 per category) and the failed audits."""
    flags = " ".join(["--headless=new"] + CHROMIUM_ARGS)
    command = ["node", str(LIGHTHOUSE_CLI), url, "--output=json", "--output-path=stdout", "--quiet",
               f"--chrome-flags={flags}", f"--only-categories={','.join(CATEGORIES)}"]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    if result.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    scores = {name: round(100 * report["categories"][name]["score"]) for name in CATEGORIES}
    # The audits that cost points outside performance (performance is a weighted timing).
    scores["lost_points"] = sorted(
        reference["id"] for name in CATEGORIES[1:] for reference in report["categories"][name]["auditRefs"]
        if reference["weight"] > 0 and report["audits"][reference["id"]]["score"] is not None
        and report["audits"][reference["id"]]["score"] < 1)
    return scores


def page_bytes(browser, server: SiteServer, page_name: str) -> dict:
    """Bytes and requests for one fresh load of the page at phone width."""
    before = len(server.requests)
    opened = open_page(browser, server, page_name, PHONE_WIDTH, "light")
    layout = measure_layout(opened.page)
    opened.close()
    loaded = server.requests[before:]
    return {"bytes": sum(request.bytes_sent for request in loaded), "requests": len(loaded),
            "outside": len(opened.outside_requests), "widest_360": layout["widest"]["right"],
            "widest_element": layout["widest"]["element"]}


def axe_counts(browser, server: SiteServer, page_name: str) -> dict:
    """Serious + critical axe violations (nodes) summed over both widths and both colour schemes."""
    count, rules = 0, set()
    for width in WIDTHS:
        for scheme in SCHEMES:
            opened = open_page(browser, server, page_name, width, scheme)
            found = serious(run_axe(opened.page))
            opened.close()
            count += sum(violation["count"] for violation in found)
            rules |= {violation["id"] for violation in found}
    return {"axe": count, "axe_rules": sorted(rules)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE_DIR)
    parser.add_argument("--render", action="store_true")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median is shown)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--pages", nargs="+", default=list(PAGES),
                        help="pages to measure (default: every page _quarto.yml renders)")
    args = parser.parse_args()

    if args.render:
        quarto = find_quarto()
        if quarto is None:
            sys.exit("Quarto is not installed: ../shared/tools/quarto/install.sh .cache/quarto")
        print(f"quarto render: {render_site(quarto):.0f} s", file=sys.stderr)
    if not (args.site / "index.html").is_file():
        sys.exit(f"No rendered site in {args.site}: run `make site` (or pass --render)")
    if not args.no_lighthouse:
        install_lighthouse()

    from playwright.sync_api import sync_playwright

    rows = {}
    with SiteServer(args.site, compress=True, cache_seconds=CACHE_SECONDS) as server, \
            sync_playwright() as playwright:
        browser = launch(playwright)
        for page_name in args.pages:
            if not (args.site / page_name).is_file():  # an older build may not have every page
                print(f"{page_name}: not in {args.site}, skipped", file=sys.stderr)
                continue
            row = page_bytes(browser, server, page_name)
            row.update(axe_counts(browser, server, page_name))
            if not args.no_lighthouse:
                row.update(median_scores(server.url(page_name), args.runs))
            rows[page_name] = row
            print(f"{page_name}: {row}", file=sys.stderr)
        browser.close()

    header = ("| page | axe serious+critical | perf (median; runs) | a11y | best pr. | SEO | KB transferred (requests) "
              "| widest at 360 px |")
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for page_name, row in rows.items():
        scores = [f"{row.get(name, '-')}" for name in CATEGORIES]
        if "performance_runs" in row:
            scores[0] += f" ({', '.join(map(str, row['performance_runs']))})"
        rules = f" ({', '.join(row['axe_rules'])})" if row["axe_rules"] else ""
        print(f"| {page_name} | {row['axe']}{rules} | {' | '.join(scores)} | "
              f"{row['bytes'] / 1024:.0f} ({row['requests']}) | {row['widest_360']} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
