"""The head-office console in a real browser (issue 18): headless Chromium driven by Selenium
against a real central `serve` on 127.0.0.1 with two real stores that sell and sync. Head office
logs in with a password, sees the dashboard's numbers equal `fenxiao report sales`, resolves a
conflict the stores' offline edits made (and a store sees it resolved after its next sync),
approves and pays a withdrawal, and downloads a CSV that it reads back. Screenshots of the
console's screens go to $FENXIAO_SCREENS as console-*.png (`make screens`: docs/screens/).

Run by `make test-browser`; exits non-zero on any failure (never skips)."""
import csv
import json
import io
import os
import shutil
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from nodes import PageWait, Server, free_port, replaced, run_scenario, wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCREENS = os.environ.get("FENXIAO_SCREENS") or tempfile.mkdtemp(prefix="fenxiao-screens-")
WAIT = 15


def browser(downloads, width=1366, height=768):
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "download.default_directory": downloads, "download.prompt_for_download": False,
    })
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(WAIT)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return driver


class Chain:
    """Central with head office's users, a distributor with a withdrawal waiting, and two stores
    S1 and S2 that sold, synced, and edited one member offline (a conflict at central)."""

    def __init__(self, fx, root):
        self.fx, self.root = fx, root
        self.central = os.path.join(root, "central")
        self.port = free_port()
        c = lambda *a, **k: fx.run(*a, data=self.central, **k)
        self.c = c
        c("init", "--node", "central", "--role", "central")
        for sku, name, price in (("TEA-01", "龙井绿茶", "12.50"), ("MUG-01", "紫砂杯", "45.00")):
            c("catalog", "add-product", "--sku", sku, "--name", name, "--price", price)
        c("user", "add", "--id", "boss", "--name", "老板", "--role", "admin", "--password-stdin", stdin="boss-pass-1\n")
        c("user", "operator", "boss")
        c("user", "add", "--id", "fay", "--name", "财务", "--role", "finance", "--password-stdin", stdin="fay-pass-1\n")
        c("user", "add", "--id", "wang", "--name", "王强", "--role", "store_manager", "--store", "S1")
        c("stock", "receive", "--sku", "MUG-01", "--qty", "100")
        for m, phone in (("C", "13800000003"), ("M9", "13800000009"), ("D", "13800000004")):
            c("member", "add", "--id", m, "--name", "会员" + m, "--phone", phone)
        c("distributor", "apply", "--member", "C", "--channels", "微信")
        c("distributor", "review", "C", "--approve")
        c("distributor", "bind", "--member", "M9", "--code", "RC-C")
        c("commission", "define", "--id", "R1", "--levels", "10", "--window-days", "0")
        self.order = c("order", "create", "--line", "MUG-01:4", "--member", "M9", "--pay", "card")["id"]
        # An online order, paid and waiting to be shipped from head office's console.
        self.online = c("order", "create", "--line", "MUG-01:1", "--member", "M9", "--channel", "online")["id"]
        c("order", "pay", self.online, "--pay", "wechat")
        self.withdrawal = c("withdraw", "request", "--distributor", "C", "--amount", "10", "--method", "bank")["id"]
        c("distributor", "apply", "--member", "D", "--channels", "抖音")
        tokens = {s: c("enroll", "--node", s)["token"] for s in ("S1", "S2")}
        self.server = Server(fx, self.central, self.port, "--silent-after", "2h", log=os.path.join(root, "central.log"))
        self.stores = {}
        for s in ("S1", "S2"):
            data = os.path.join(root, s)
            fx.run("init", "--node", s, "--role", "store", data=data)
            fx.run("join", "--url", self.server.url, data=data, stdin=tokens[s] + "\n")
            self.stores[s] = data
            self.s(s, "sync")
            self.s(s, "stock", "receive", "--sku", "TEA-01", "--qty", "50")
            self.s(s, "order", "create", "--line", "TEA-01:2", "--pay", "cash")
        self.s("S1", "member", "add", "--id", "M-1", "--name", "张伟", "--phone", "13900000001")
        self.s("S1", "sync")
        self.s("S2", "sync")
        # Offline, both stores change the member's region: a concurrent edit once both synced.
        self.s("S1", "member", "edit", "--id", "M-1", "--region", "浙江")
        self.s("S2", "member", "edit", "--id", "M-1", "--region", "江苏")
        for s in ("S1", "S2", "S1"):
            self.s(s, "sync")

    def s(self, store, *args, **k):
        return self.fx.run(*args, data=self.stores[store], user="boss", **k)


class Console:
    def __init__(self, driver, base, shots):
        self.d, self.base, self.shots = driver, base, shots
        # A form's POST reloads the page: an element read while it reloads is stale, so the wait
        # reads it again.
        self.wait = PageWait(driver, WAIT)

    def el(self, css):
        return self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def click(self, css):
        self.wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, css))).click()

    def shot(self, name):
        if self.shots:
            os.makedirs(SCREENS, exist_ok=True)
            self.d.save_screenshot(os.path.join(SCREENS, name + ".png"))

    def login(self, user, password):
        self.d.get(self.base + "/console")
        self.el("#user").send_keys(user)
        self.el("#password").send_keys(password)
        self.shot("console-login")
        self.click("#login")
        # The signed-in header (`.who`) exists only after the login's POST answered: waiting for
        # an element the login page also has (`main h1`) let the next `get` race the cookie.
        self.el(".who")
        if user == "boss":
            self.el("#sales")


def yuan(cents):
    return "¥%d.%02d" % (cents // 100, cents % 100) if cents >= 0 else "-" + yuan(-cents)


def download(downloads, name):
    """The bytes of a CSV the browser saved as `name`, once it is complete."""
    path = os.path.join(downloads, name)
    wait_until(f"the download of {name}", lambda: os.path.exists(path) and os.path.getsize(path) > 0, 20)
    raw = open(path, "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), (name, raw[:10])
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def tour(chain, ui, downloads):
    """Every other screen of head office's day: each shows the chain's data in Chinese; an order
    is shipped with its tracking number (the reports screen is console_members_e2e.py's)."""
    d, base = ui.d, chain.server.url
    d.get(base + "/console/products")
    assert "龙井绿茶" in ui.el("main").text
    ui.shot("console-products")
    ui.click('main a[href^="/console/product?id="]')
    ui.el("main form")
    ui.shot("console-product")
    d.get(base + "/console/marketing")
    assert "营销" in ui.el("main h1").text
    ui.shot("console-marketing")
    d.get(base + "/console/inventory")
    # Central's mugs as `fenxiao stock show` has them.
    mug = next(level for level in chain.c("stock", "show", "--sku", "MUG-01")["levels"] if level["warehouse"] == "central")
    cells = ui.el('#stock tr[data-sku="MUG-01"][data-warehouse="central"]').find_elements(By.CSS_SELECTOR, "td")
    assert [c.text for c in cells[1:4]] == [str(mug["on_hand"]), str(mug["reserved"]), str(mug["available"])], mug
    ui.shot("console-inventory")

    # The order's story, then shipped with a carrier and tracking number from the browser.
    d.get(base + "/console/orders")
    assert chain.order in ui.el("main").text
    d.get(base + f"/console/orders/{chain.online}")
    form = ui.el(f'form[action="/console/orders/{chain.online}/ship"]')
    form.find_element(By.NAME, "carrier").send_keys("顺丰速运")
    form.find_element(By.NAME, "tracking").send_keys("SF1234567890")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    ui.wait.until(replaced(form))  # the redirect's page, not the one being replaced
    ui.wait.until(lambda drv: "SF1234567890" in drv.find_element(By.CSS_SELECTOR, "main").text)
    ui.shot("console-order")
    shown = json.dumps(chain.c("order", "show", chain.online), ensure_ascii=False)
    assert "SF1234567890" in shown and "顺丰速运" in shown, shown

    d.get(base + "/console/members")
    search = ui.el('input[name="q"]')
    search.send_keys("会员M9")
    search.submit()
    ui.wait.until(replaced(search))  # the results page, not the one being replaced
    ui.wait.until(lambda drv: "13800000009" in drv.find_element(By.CSS_SELECTOR, "main").text)
    d.get(base + "/console/members/M9")
    ui.el("main h1")
    d.get(base + "/console/distributors")
    assert "C" in ui.el("main").text


def scenario(fx, root, shots):
    chain = Chain(fx, root)
    downloads = os.path.join(root, "downloads")
    os.makedirs(downloads)
    driver = browser(downloads)
    try:
        ui = Console(driver, chain.server.url, shots)
        ui.login("boss", "boss-pass-1")
        # The dashboard's numbers are `fenxiao report sales` for today, per store.
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
        rows = chain.c("report", "sales", "--by", "all", "--from", today)["rows"]
        per_store = [r for r in rows if r["store"] != "*"]
        assert {r["store"] for r in per_store} == {"central", "S1", "S2"}, per_store
        for r in per_store:
            cells = ui.el(f'#sales tr[data-store="{r["store"]}"]').find_elements(By.CSS_SELECTOR, "td")
            assert cells[0].text == str(r["orders"]), (r, cells[0].text)
            assert cells[1].text == yuan(r["net_cents"]), (r, cells[1].text)
        total = ui.el('#sales tr[data-store="*"]').find_elements(By.CSS_SELECTOR, "td")
        assert total[1].text == yuan(sum(r["net_cents"] for r in per_store)), total[1].text
        assert ui.el('#sync tr[data-store="S1"] .state').text == "正常"
        assert driver.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar"), "no chart"
        # Open conflicts by kind are `fenxiao conflicts --status open`, counted per rule.
        kinds = {}
        for c in chain.c("conflicts", "--status", "open")["conflicts"]:
            kinds[c["rule"]] = kinds.get(c["rule"], 0) + 1
        assert kinds, "the chain should have open conflicts"
        shown = {b.get_attribute("data-kind"): int(b.text) for b in driver.find_elements(By.CSS_SELECTOR, "#conflicts b[data-kind]")}
        assert shown == kinds, (shown, kinds)
        ui.shot("console-dashboard")

        # The conflict, in Chinese, resolved with a note.
        conflicts = chain.c("conflicts", "--status", "open")["conflicts"]
        edit = next(c for c in conflicts if c["rule"] == "concurrent_edit")
        driver.get(chain.server.url + "/console/conflicts")
        card = ui.el(f'article[data-id="{edit["id"]}"]')
        assert "浙江" in card.text or "江苏" in card.text, card.text
        ui.shot("console-conflicts")
        card.find_element(By.NAME, "note").send_keys("已电话确认，区域以浙江为准")
        card.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        ui.wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'article[data-id="{edit["id"]}"]'))
        resolved = [c for c in chain.c("conflicts", "--status", "resolved")["conflicts"] if c["id"] == edit["id"]]
        assert resolved and resolved[0]["note"] == "已电话确认，区域以浙江为准", resolved
        chain.s("S1", "sync")
        at_store = [c for c in chain.s("S1", "conflicts")["conflicts"] if c["id"] == edit["id"]]
        assert at_store and at_store[0]["status"] == "resolved", at_store

        # The withdrawal: approved, then paid with the bank's reference.
        driver.get(chain.server.url + "/console/withdrawals")
        row = ui.el(f"#withdrawal-{chain.withdrawal}")
        row.find_element(By.CSS_SELECTOR, "button[value=approved]").click()
        ui.wait.until(lambda d: d.find_element(By.CSS_SELECTOR, f"#withdrawal-{chain.withdrawal} .status").text == "已批准")
        row = ui.el(f"#withdrawal-{chain.withdrawal}")
        row.find_element(By.NAME, "reference").send_keys("BANK-20261202-01")
        ui.shot("console-withdrawals")
        row.find_element(By.CSS_SELECTOR, "button[value=paid]").click()
        ui.wait.until(lambda d: d.find_element(By.CSS_SELECTOR, f"#withdrawal-{chain.withdrawal} .status").text == "已付款")
        listed = {w["id"]: w for w in chain.c("withdraw", "list")["withdrawals"]}
        assert listed[chain.withdrawal]["status"] == "paid", listed

        # The CSV export, downloaded by the browser and read back: BOM, the rows on screen.
        ui.click('a.csv[href="/console/withdrawals.csv"]')
        table = download(downloads, "fenxiao-withdrawals.csv")
        mine = [r for r in table if r["id"] == chain.withdrawal]
        assert mine and mine[0]["status"] == "paid" and mine[0]["reference"] == "BANK-20261202-01", mine
        assert mine[0]["phone"] == "13800000003", mine

        # The applications and the English switch.
        driver.get(chain.server.url + "/console/applications?lang=en")
        ui.el("#application-D")
        assert "Distributor applications" in ui.el("main h1").text
        ui.shot("console-applications")
        driver.get(chain.server.url + "/console?lang=zh")

        tour(chain, ui, downloads)

        # A finance clerk on a phone: withdrawals with masked phones, no applications.
        phone = browser(downloads, 390, 844)
        try:
            clerk = Console(phone, chain.server.url, shots)
            clerk.login("fay", "fay-pass-1")
            phone.get(chain.server.url + "/console/withdrawals")
            assert clerk.el(f"#withdrawal-{chain.withdrawal} .phone").text == "138****0003"
            clerk.shot("console-phone-withdrawals")
            phone.get(chain.server.url + "/console/applications")
            assert "无权访问" in clerk.el("main h1").text
        finally:
            phone.quit()
    finally:
        driver.quit()
        chain.server.stop()


if __name__ == "__main__":
    sys.exit(run_scenario("console browser test", scenario))
