"""The till in a real browser (issue 17): headless Chromium driven by Selenium against a real
store `serve` on 127.0.0.1 with a real central. A cashier logs in with a PIN, scans, looks up
a member by phone, redeems points, pays split, opens the receipt, refunds with a manager's
PIN and closes the shift. Then the same with central down the whole time; central comes up
and the store's orders arrive. Screenshots of the main screens go to $FENXIAO_SCREENS (`make screens`: docs/screens/).

Run by `make test` after `swift test`; exits non-zero on any failure (never skips)."""
import os
import shutil
import sys
import tempfile
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from nodes import Fenxiao, Server, free_port, wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Screenshots go to a temporary folder unless FENXIAO_SCREENS names one (`make screens` refreshes
# docs/screens), so a test run leaves the tree as it was.
SCREENS = os.environ.get("FENXIAO_SCREENS") or tempfile.mkdtemp(prefix="fenxiao-screens-")
WAIT = 15  # seconds any one step may take in the browser


def browser():
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,900",
                "--lang=zh-CN"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(WAIT)
    return driver


class Shop:
    """A central and one store S1 with two tills' worth of staff, set up with the CLI."""

    def __init__(self, fx, root):
        self.fx, self.root = fx, root
        self.central, self.store = os.path.join(root, "central"), os.path.join(root, "S1")
        self.central_port = free_port()
        c = lambda *a, **k: fx.run(*a, data=self.central, **k)
        c("init", "--node", "central", "--role", "central")
        for sku, name, price in (("TEA-01", "龙井绿茶", "12.50"), ("BUN-01", "鲜肉包", "3.50"), ("SET-01", "紫砂茶具套装", "268.00")):
            c("catalog", "add-product", "--sku", sku, "--name", name, "--price", price)
        c("promo", "add", "--id", "TEA10", "--name", "龙井九折", "--percent", "10", "--sku", "TEA-01")
        c("user", "add", "--id", "boss", "--name", "Boss", "--role", "admin")
        c("user", "operator", "boss")
        c("user", "add", "--id", "li", "--name", "李娜", "--role", "cashier", "--store", "S1")
        c("user", "add", "--id", "wang", "--name", "王强", "--role", "store_manager", "--store", "S1")
        token = c("enroll", "--node", "S1")["token"]
        self.central_server = self.start_central()
        # The store joins, receives stock, enrols its till and registers a member (as the manager).
        s = lambda *a, **k: fx.run(*a, data=self.store, user="wang", **k)
        fx.run("init", "--node", "S1", "--role", "store", data=self.store)
        fx.run("join", "--url", f"http://127.0.0.1:{self.central_port}", data=self.store, stdin=token + "\n")
        for sku in ("TEA-01", "BUN-01", "SET-01"):
            s("stock", "receive", "--sku", sku, "--qty", "100")
        self.till_token = s("till", "add", "TILL-1")["token"]
        s("member", "add", "--id", "M-1", "--name", "张伟", "--phone", "13800001111")
        s("sync")
        c("member", "points", "--id", "M-1", "--add", "2000")  # head office's welcome gift
        s("sync")
        s("user", "set-pin", "--id", "li", "--new-pin", "2468")
        s("user", "set-pin", "--id", "wang", "--new-pin", "1357")

    def start_central(self):
        return Server(self.fx, self.central, self.central_port, log=os.path.join(self.root, "central.log"))

    def start_store(self):
        self.store_port = free_port()
        return Server(self.fx, self.store, self.store_port, "--sync-every", "5s", log=os.path.join(self.root, "store.log"))


class Counter:
    """The cashier's moves on the till pages, with explicit waits."""

    def __init__(self, driver, base, shots):
        self.d, self.base, self.shots = driver, base, shots
        self.wait = WebDriverWait(driver, WAIT)

    def el(self, css):
        return self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def click(self, css):
        self.wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, css))).click()

    def type(self, css, text, enter=False):
        field = self.el(css)
        field.clear()
        field.send_keys(text + (Keys.ENTER if enter else ""))

    def text_is(self, css, text):
        self.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))

    def shot(self, name):
        if self.shots:
            os.makedirs(SCREENS, exist_ok=True)
            self.d.save_screenshot(os.path.join(SCREENS, name + ".png"))

    def enroll_and_login(self, till_token, user, pin):
        self.d.get(f"{self.base}/till/enroll?token={till_token}")
        self.el("#login-user")
        self.type("#login-user", user)
        self.type("#login-pin", pin, enter=True)
        self.el("#scan")
        self.text_is("#cashier", user)

    def sell(self, phone, redeem, split_card_yuan):
        """Scans two items (a scanner types the code and Enter), finds the member, redeems
        points, pays part by card and the rest in cash; returns the order id."""
        self.type("#scan", "TEA-01", enter=True)
        self.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#cart-lines tr.cart-line")) == 1)
        self.type("#scan", "SET-01", enter=True)
        self.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#cart-lines tr.cart-line")) == 2)
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#discounts li"))  # the engine explains the 10 %
        assert "-¥1.25" in self.el("#discounts li").text
        self.text_is("#due", "¥279.25")
        self.type("#member-phone", phone, enter=True)
        self.wait.until(lambda d: d.find_element(By.ID, "member-info").get_attribute("data-member"))
        self.wait.until(EC.element_to_be_clickable((By.ID, "points")))
        self.type("#points", str(redeem), enter=True)
        self.text_is("#points-total", "-¥%.2f" % (redeem / 100))
        due = 27925 - redeem
        self.text_is("#due", "¥%.2f" % (due / 100))
        self.shot("sale-cart")
        self.click("#pay-card")
        card = self.el("#payments tr.payment[data-method=card] .pay-amount")
        card.clear()
        card.send_keys("%.2f" % split_card_yuan + Keys.TAB)
        self.click("#pay-cash")
        cash_due = due - int(split_card_yuan * 100)
        self.text_is("#remaining", "¥0.00")
        tendered = self.el("#payments tr.payment[data-method=cash] .tendered")
        tendered.clear()
        tendered.send_keys("%.2f" % ((cash_due + 500) / 100) + Keys.TAB)
        self.text_is("#change", "¥5.00")
        self.shot("payment")
        self.click("#finish")
        self.wait.until(EC.visibility_of_element_located((By.ID, "done")))
        self.text_is("#done-change", "¥5.00")
        order = self.el("#done-order").text
        assert order, "the sale showed no order id"
        return order

    def receipt(self, order):
        link = self.el("#receipt-link").get_attribute("href")
        self.d.get(link)
        self.text_is("#receipt-order", order)
        assert self.d.find_elements(By.CSS_SELECTOR, "#receipt svg.barcode rect"), "the receipt has no barcode"
        self.shot("receipt")

    def refund_with_manager(self, order, manager, pin):
        self.d.get(f"{self.base}/till/after-sale")
        self.type("#find-order", order[-6:], enter=True)
        self.text_is("#order-id", order)
        tea_set = self.el("#order-lines tr.order-line:nth-child(2) .refund-qty")  # ¥268: above a cashier's ¥200
        tea_set.clear()
        tea_set.send_keys("1")
        self.click("#refund")
        self.wait.until(EC.visibility_of_element_located((By.ID, "manager")))  # above the cashier's limit
        self.type("#manager-user", manager)
        self.type("#manager-pin", pin)
        self.shot("refund")
        self.click("#refund")
        self.wait.until(lambda d: "ok" in d.find_element(By.ID, "message").get_attribute("class"))
        self.text_is("#order-lines tr.order-line:nth-child(2) td:nth-child(4)", "1")

    def close_shift(self):
        """Counts the drawer: exactly the cash the running Z report expects, so nothing is missing."""
        self.d.get(f"{self.base}/till/shift")
        expected = self.el("table.z-methods tr[data-method=cash] td:nth-child(4)").text
        assert expected.startswith("¥"), f"no expected cash on the shift page: {expected!r}"
        self.type("#counted", expected.lstrip("¥"))
        self.click("#close-shift")
        self.el("#z-report")
        self.text_is("#z-cash-difference", "¥0.00")
        self.text_is("#z-orders", "1")
        self.shot("z-report")

    def open_shift(self, float_yuan):
        self.d.get(f"{self.base}/till/shift")
        self.type("#float", float_yuan)
        self.click("#open-shift")
        self.el("#scan")  # an open shift goes on to the sale screen

    def light(self):
        return self.el("#light").get_attribute("data-light")


def scenario(fx, root, central_down, shots):
    shop = Shop(fx, root)
    if central_down:
        shop.central_server.stop()
    store = shop.start_store()
    driver = browser()
    orders = []
    try:
        till = Counter(driver, store.url, shots)
        till.enroll_and_login(shop.till_token, "li", "2468")
        till.open_shift("200.00")
        if central_down:
            wait_until("the light to say offline", lambda: till.light() == "offline", 30)
        orders.append(till.sell("13800001111", 1000, 200.00))
        till.receipt(orders[-1])
        till.refund_with_manager(orders[-1], "wang", "1357")
        till.close_shift()
        if central_down:
            assert "offline" == till.light()
            shop.central_server = shop.start_central()
        # The store's sync loop pushes the sales; central lists them.
        wait_until("the till's orders at central",
                   lambda: set(orders) <= {o["id"] for o in fx.run("order", "list", data=shop.central)["orders"]}, 60)
        wait_until("the light to turn online", lambda: till.light() == "online", 30)
    finally:
        driver.quit()
        store.stop()
        shop.central_server.stop()


def main():
    binary = os.environ.get("FENXIAO_BIN") or os.path.join(ROOT, ".build", "debug", "fenxiao")
    if not os.access(binary, os.X_OK):
        print(f"till browser test: {binary} is missing; run `swift build` first", file=sys.stderr)
        return 1
    fx = Fenxiao(binary)
    passed, failed = 0, 0
    for name, central_down in (("central up", False), ("central down", True)):
        root = tempfile.mkdtemp(prefix="fenxiao-till-e2e-")
        try:
            scenario(fx, root, central_down, shots=not central_down)
            print(f"till browser test ({name}): passed")
            passed += 1
        except Exception:
            print(f"till browser test ({name}): FAILED (logs in {root})", file=sys.stderr)
            traceback.print_exc()
            failed += 1
            continue
        shutil.rmtree(root, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
