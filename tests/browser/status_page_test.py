#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The status page in a real headless browser (Debian's chromium + chromium-driver, driven by
python3-selenium) against the real daemon and packbridge-sim with 16 packs of 16 cells.

Checks: the page loads with no console error and requests nothing but its own server; it shows
16 packs x 16 cells, and the cell it marks lowest (highest) is the bank's lowest (highest) cell of
/api/status and the lowest (highest) value it shows; every limit's reasons are on the page; the
charts gain points over time; a pack the simulator silences turns stale in the cell map and the
pack table. With --screenshot PATH it also saves the page as a PNG (scripts/screenshot).

  status_page_test.py --packbridge BIN --sim BIN [--screenshot PNG] [--warmup S]
Exit 0 = pass, 1 = a check failed (the reason on stderr).
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

PACKS = 16
CELLS = 16
SILENCED = 5


class Failed(Exception):
    pass


def check(ok, what):
    if not ok:
        raise Failed(what)


def wait_for(what, predicate, timeout_s):
    """Polls predicate() until it returns a true value, which it returns; fails with `what`."""
    until = time.monotonic() + timeout_s
    last_error = None
    while time.monotonic() < until:
        try:
            value = predicate()
            if value:
                return value
        except Exception as e:  # a page mid-redraw, a daemon not listening yet
            last_error = e
        time.sleep(0.1)
    raise Failed(f"timed out after {timeout_s} s waiting for {what}"
                 + (f" (last error: {last_error})" if last_error else ""))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.loads(r.read())


def start_sim(sim, tmp):
    control = os.path.join(tmp, "control")
    proc = subprocess.Popen([sim, "--addresses", f"0-{PACKS - 1}", "--baud", "115200",
                             "--evolve-ms", "1000", "--control", control],
                            stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, "sim.log"), "w"),
                            text=True)
    device = None
    for line in proc.stdout:
        if line.startswith("PTY "):
            device = line.split(" ", 1)[1].strip()
        if line.strip() == "READY":
            break
    check(device is not None, "packbridge-sim did not report its pty")
    return proc, device, control


def start_daemon(packbridge, tmp, device, port):
    config = os.path.join(tmp, "packbridge.json")
    with open(config, "w") as f:
        # Short intervals so the test takes seconds: a chart sample every second (the setting
        # users have, default 10 s), a silent pack stale after 2 s.
        json.dump({"bus": {"device": device, "addresses": f"0-{PACKS - 1}", "mode": "master",
                           "baud": 115200},
                   "inverter": {"brand": "deye", "can": {"interface": "-"}},
                   "battery": {"stale_after_s": 2, "comms_loss_s": 30},
                   "status": {"path": os.path.join(tmp, "status.json")},
                   "log": {"summary_interval_s": 0},
                   "http": {"listen": f"127.0.0.1:{port}", "history_interval_s": 1}}, f)
    return subprocess.Popen([packbridge, "run", "--config", config, "--dry-run"],
                            stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(tmp, "daemon.log"), "w"))


def start_browser(tmp):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--window-size=1400,2000",
              f"--user-data-dir={os.path.join(tmp, 'chromium')}"]:
        options.add_argument(a)
    # The console (errors) and the DevTools network events (every request the page makes).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def page_cells(driver):
    """[(pack, cell, mv, classes)] of the cell map as drawn."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#cellmap rect.cell')).map(r => "
        "[+r.dataset.pack, +r.dataset.cell, +r.dataset.mv, r.getAttribute('class')]);")


def run(args, tmp):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    sim, device, control = start_sim(args.sim, tmp)
    daemon = None
    driver = None
    try:
        daemon = start_daemon(args.packbridge, tmp, device, port)
        wait_for(f"{PACKS} packs counted in /api/status",
                 lambda: get_json(base + "/api/status")["battery"]["packs_counted"] == PACKS, 20)

        t0 = time.monotonic()
        driver = start_browser(tmp)
        driver.get(base + "/")

        # 16 packs x 16 cells.
        wait_for(f"{PACKS * CELLS} cells in the cell map",
                 lambda: len(page_cells(driver)) == PACKS * CELLS, 10)
        rows = driver.find_elements(By.CSS_SELECTOR, "#packs tbody tr")
        check(len(rows) == PACKS, f"pack table has {len(rows)} rows, not {PACKS}")

        # The highlighted cells are the bank's min/max. The page redraws every 2 s and values
        # evolve: compare a drawing with the API document whose cells it shows.
        def matched():
            cells = page_cells(driver)
            status = get_json(base + "/api/status")
            shown = {(p, c): mv for p, c, mv, _ in cells}
            api = {(p["address"], i + 1): mv for p in status["packs"] if p["values"]
                   for i, mv in enumerate(p["values"]["cell_mv"])}
            return (cells, status) if shown == api else None
        cells, status = wait_for("a drawing that matches /api/status", matched, 15)
        cell_stats = status["battery"]["cells"]
        lows = [c for c in cells if " min" in c[3]]
        highs = [c for c in cells if " max" in c[3]]
        check(len(lows) == 1 and len(highs) == 1,
              f"{len(lows)} cells marked lowest, {len(highs)} marked highest (want 1 each)")
        low, high = lows[0], highs[0]
        check((low[0], low[1]) == (cell_stats["min_at"]["pack"], cell_stats["min_at"]["index"]),
              f"lowest marked at pack {low[0]} cell {low[1]}, bank says {cell_stats['min_at']}")
        check((high[0], high[1]) == (cell_stats["max_at"]["pack"], cell_stats["max_at"]["index"]),
              f"highest marked at pack {high[0]} cell {high[1]}, bank says {cell_stats['max_at']}")
        check(low[2] == min(c[2] for c in cells) == cell_stats["min_mv"], "lowest mark not on the lowest value")
        check(high[2] == max(c[2] for c in cells) == cell_stats["max_mv"], "highest mark not on the highest value")

        # Every limit with its reasons (the texts of the same document).
        def limits_match():
            status_now = get_json(base + "/api/status")
            for key in ("cvl", "dvl", "ccl", "dcl"):
                text = driver.find_element(By.ID, "limit-" + key).text
                for reason in status_now["battery"]["limits"][key]["reasons"]:
                    if reason["text"] not in text:
                        return None
            return True
        wait_for("every limit reason of /api/status on the page", limits_match, 10)

        # The charts gain points: one sample per second, fetched with each status update.
        def points():
            return driver.execute_script(
                "const p = document.querySelector('#chart-soc polyline');"
                "return p ? p.getAttribute('points').trim().split(/\\s+/).filter(Boolean).length : 0;")
        first = wait_for("points in the SOC chart", points, 10)
        wait_for("the SOC chart to gain points", lambda: points() >= first + 2, 10)
        for chart in ("soc", "voltage", "current", "limits", "spread", "temp"):
            check(driver.find_elements(By.CSS_SELECTOR, f"#chart-{chart} polyline"),
                  f"chart {chart} has no line")

        # What each pack is, as /api/status has it once its identity replies are in.
        def identities_match():
            status_now = get_json(base + "/api/status")
            for p in status_now["packs"]:
                ident = p["identity"]
                if not ident:
                    return None
                cell = driver.find_element(
                    By.CSS_SELECTOR, f'#packs tr[data-pack="{p["address"]}"] td.identity')
                if ident["family"] not in cell.text or ident["model"] not in cell.text:
                    return None
                if ident["firmware"] not in (cell.get_attribute("title") or ""):
                    return None
            return True
        wait_for("each pack's family and model in the pack table, firmware in its tooltip",
                 identities_match, 15)
        check(driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1;"),
              "the page is wider than the window (a table should scroll inside its panel)")

        if args.warmup > 0:
            time.sleep(args.warmup)

        # A pack the simulator drops turns stale on the page.
        with open(control, "w") as fifo:
            fifo.write(f"silence {SILENCED}\n")
        wait_for(f"pack {SILENCED} stale in the pack table", lambda: "stale" in driver.find_element(
            By.CSS_SELECTOR, f'#packs tr[data-pack="{SILENCED}"]').get_attribute("class"), 15)
        wait_for(f"pack {SILENCED} stale in the cell map", lambda: "stale" in driver.find_element(
            By.CSS_SELECTOR, f'#cellmap g[data-pack="{SILENCED}"]').get_attribute("class"), 5)
        check("stale" in driver.find_element(By.CSS_SELECTOR, f'#packs tr[data-pack="{SILENCED}"] td.state').text,
              "the stale pack's row does not say stale")
        others = driver.find_elements(By.CSS_SELECTOR, "#packs tr.stale")
        check(len(others) == 1, f"{len(others)} packs stale, only pack {SILENCED} was silenced")

        if args.screenshot:
            time.sleep(2.5)  # one more redraw with the stale pack
            # The whole page in one picture: the window as tall as the document (plus chrome).
            height = driver.execute_script("return document.documentElement.scrollHeight;")
            driver.set_window_size(1400, height + 160)
            time.sleep(0.5)
            driver.save_screenshot(args.screenshot)
            print(f"screenshot: {args.screenshot}")

        # No console error, and no request to anything but the daemon.
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        check(not errors, f"console errors: {errors}")
        # Every request made by our page, and every network request at all (chromium's own
        # new-tab page before the navigation loads chrome:// resources: not the network).
        urls = []
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                params = message["params"]
                url = params["request"]["url"]
                if params.get("documentURL", "").startswith(base) or \
                        url.split(":", 1)[0] in ("http", "https", "ws", "wss"):
                    urls.append(url)
        check(any(u.startswith(base + "/api/status") for u in urls), "no /api/status request seen")
        foreign = [u for u in urls if not u.startswith(base + "/")]
        check(not foreign, f"requests outside the daemon: {foreign}")
        print(f"status page: {PACKS}x{CELLS} cells, min/max, limit reasons, charts, stale pack: "
              f"ok in {time.monotonic() - t0:.1f} s of browser time")
        return 0
    finally:
        if driver is not None:
            driver.quit()
        for proc in (daemon, sim):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packbridge", required=True)
    parser.add_argument("--sim", required=True)
    parser.add_argument("--screenshot")
    parser.add_argument("--warmup", type=float, default=0,
                        help="seconds to let the charts fill before the stale check")
    args = parser.parse_args()
    for tool in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not os.path.exists(tool):
            print(f"status_page_test: {tool} is missing: run scripts/deps test "
                  "(chromium chromium-driver python3-selenium)", file=sys.stderr)
            return 1
    tmp = tempfile.mkdtemp(prefix="pb-browser-")
    try:
        return run(args, tmp)
    except Failed as e:
        print(f"status_page_test: FAILED: {e}", file=sys.stderr)
        for log in ("daemon.log", "sim.log"):
            path = os.path.join(tmp, log)
            if os.path.exists(path):
                print(f"--- {log} (last lines)", file=sys.stderr)
                print("".join(open(path).readlines()[-20:]), file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
