"""The members' and distributors' mall on a phone (issue 19): headless Chromium with a 375 px
window, driven by Selenium against a real central `serve` on 127.0.0.1 and a real store S1.

A member signs up in the mall and applies to be a distributor; head office approves the
application in the console; the distributor shares a product link. A new member opens the link,
signs up, checks in, claims a coupon, and buys with points, the coupon and the sandbox payment;
head office ships from the console; the member confirms receipt. The distributor sees the
commission frozen; after S1 syncs, the member's points and coupon are the same at the store's
counter; with central's clock past the after-sale window the commission is available. Every
figure the phone shows is checked against the CLI. Screenshots go to $FENXIAO_SCREENS as
mall-*.png (`make screens`: docs/screens/).

Run by `make test-browser`; exits non-zero on any failure (never skips)."""
import json
import os
import re
import shutil
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from nodes import PageWait, Server, free_port, replaced, run_scenario, wait_until

SCREENS = os.environ.get("FENXIAO_SCREENS") or tempfile.mkdtemp(prefix="fenxiao-screens-")
WAIT = 15
DAY_MS = 24 * 3600 * 1000


def chromium(width, height, phone=False):
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={max(width, 500)},{height}", "--lang=zh-CN"):
        options.add_argument(arg)
    if phone:
        # A desktop window is at least 500 px wide: the phone is emulated (375 px, touch).
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2, "touch": True}})
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(WAIT)
    return driver


def yuan(cents):
    return "¥%d.%02d" % (cents // 100, cents % 100)


class Chain:
    """Central with a catalog, online stock, a claimable coupon, a commission rule with a 7-day
    after-sale window and head office's admin; store S1 enrolled and synced."""

    def __init__(self, fx, root):
        self.fx, self.root = fx, root
        self.central = os.path.join(root, "central")
        self.port = free_port()
        self.log = os.path.join(root, "central.log")
        c = self.c
        c("init", "--node", "central", "--role", "central")
        c("catalog", "add-product", "--sku", "MUG-01", "--name", "紫砂杯", "--price", "45.00")
        c("catalog", "add-product", "--sku", "TEA-01", "--name", "龙井绿茶", "--price", "12.50")
        c("user", "add", "--id", "boss", "--name", "老板", "--role", "admin", "--password-stdin", stdin="boss-pass-1\n")
        c("user", "operator", "boss")
        c("stock", "receive", "--sku", "MUG-01", "--qty", "100")
        c("stock", "receive", "--sku", "TEA-01", "--qty", "100")
        c("coupon", "define", "--code", "NEW10", "--amount", "10", "--min-spend", "40", "--holders-only")
        c("commission", "define", "--id", "R1", "--levels", "10", "--window-days", "7")
        token = c("enroll", "--node", "S1")["token"]
        self.start()
        self.s1 = os.path.join(root, "S1")
        fx.run("init", "--node", "S1", "--role", "store", data=self.s1)
        fx.run("join", "--url", self.server.url, data=self.s1, stdin=token + "\n")
        self.s("sync")

    def c(self, *args, **k):
        return self.fx.run(*args, data=self.central, **k)

    def s(self, *args, **k):
        return self.fx.run(*args, data=self.s1, user="boss", **k)

    def start(self, skew_ms=0):
        env = {"FENXIAO_CLOCK_SKEW_MS": str(skew_ms)} if skew_ms else {}
        self.server = Server(self.fx, self.central, self.port, "--mall-dev-codes", "--log-format", "json",
                             log=self.log, env=env)

    def restart(self, skew_ms):
        self.server.stop()
        self.start(skew_ms)

    def code(self, phone):
        """The last login code central sent to `phone` (`serve --mall-dev-codes` logs it)."""
        def find():
            found = None
            with open(self.log, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if "mall dev code" in line and phone in line:
                        found = re.search(r'"code":"(\d{6})"', line)
            return found.group(1) if found else None
        return wait_until(f"a login code for {phone}", find, 10)


class Phone:
    """One person's phone: its own browser (cookies), 375 px wide."""

    def __init__(self, chain, shots, name):
        self.chain, self.shots, self.name = chain, shots, name
        self.d = chromium(375, 812, phone=True)
        self.wait = PageWait(self.d, WAIT)

    def go(self, path):
        self.d.get(path if path.startswith("http") else self.chain.server.url + path)

    def el(self, css):
        return self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def click(self, css):
        # As a thumb does: the element scrolled to the middle, clear of the fixed tab bar.
        element = self.wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, css)))
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def text(self, css):
        return self.el(css).text.strip()

    def shot(self, name):
        if self.shots:
            os.makedirs(SCREENS, exist_ok=True)
            self.d.save_screenshot(os.path.join(SCREENS, name + ".png"))

    def fits(self):
        """The page is no wider than the phone (no sideways scrolling)."""
        width, inner = self.d.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]")
        assert inner == 375, f"the phone's window is {inner} px wide"
        assert width <= 375, f"{self.d.current_url} is {width} px wide"

    def login(self, phone, name, shot=None):
        """Signs in from the login page this phone is on (or opens it)."""
        if "/mall/login" not in self.d.current_url:
            self.go("/mall/login")
        self.el("#phone").send_keys(phone)
        if shot:
            self.shot(shot)
        self.click("#send-code")
        self.el("#code").send_keys(self.chain.code(phone))
        if name:
            self.el("#name").send_keys(name)
        self.click("#sign-in")
        self.wait.until(lambda d: "/mall/login" not in d.current_url)

    def quit(self):
        self.d.quit()


def console_login(driver, base):
    wait = PageWait(driver, WAIT)
    driver.get(base + "/console")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#user"))).send_keys("boss")
    driver.find_element(By.CSS_SELECTOR, "#password").send_keys("boss-pass-1")
    driver.find_element(By.CSS_SELECTOR, "#login").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".who")))
    return wait


def scenario(fx, root, shots):
    chain = Chain(fx, root)
    people = []
    desk = chromium(1366, 768)
    try:
        # A member signs up and applies to be a distributor.
        dora = Phone(chain, shots, "dora")
        people.append(dora)
        dora.login("13800000004", "朵拉", shot="mall-login")
        dora.go("/mall/distributor")
        dora.el("#apply-channels").send_keys("微信群")
        dora.el("#apply-experience").send_keys("三年社区团购")
        dora.click("#apply-submit")
        dora.el("#distributor-status")
        dora.shot("mall-distributor-apply")
        dora_id = dora.text("#member-id") if dora.d.find_elements(By.CSS_SELECTOR, "#member-id") else None

        # Head office approves the application in the console.
        wait = console_login(desk, chain.server.url)
        desk.get(chain.server.url + "/console/applications")
        row = wait.until(lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "tr[id^=application-]")
                                         if "13800000004" in r.text), None))
        row.find_element(By.CSS_SELECTOR, "button[value=approve]").click()
        # Read the rows' texts in one script: element handles taken while the approval's page
        # replaces this one can go stale between the lookup and `.text`, and Chromium 156
        # reports that as a generic inspector error (seen in CI; `PageWait` now retries it too).
        wait.until(lambda d: not [t for t in d.execute_script(
            "return Array.from(document.querySelectorAll('tr[id^=application-]'), r => r.textContent)")
            if "13800000004" in t])
        distributor = next(d for d in chain.c("distributor", "list")["distributors"] if d.get("status") == "active")

        # The distributor's link to the mug, with its QR code.
        dora.go("/mall/distributor")
        dora.go("/mall/distributor/link?product=MUG-01")
        link = dora.el("#referral-link").get_attribute("href") or dora.text("#referral-link")
        assert "/mall/r/" in link, link
        assert dora.d.find_elements(By.CSS_SELECTOR, "#referral-qr svg, svg#referral-qr"), "no QR code"
        dora.fits()
        dora.shot("mall-distributor-link")

        # A new member opens the link, signs up on the way to the cart.
        mei = Phone(chain, shots, "mei")
        people.append(mei)
        mei.go(link)
        mei.wait.until(lambda d: "/mall/products/" in d.current_url)
        assert mei.text("#price").lstrip("¥") == "45.00", mei.text("#price")
        mei.fits()
        mei.shot("mall-product")
        mei.click("#login-to-buy")
        mei.login("13900000077", "小美")
        mei.wait.until(lambda d: "/mall/products/" in d.current_url)
        member = chain.c("member", "find", "--phone", "13900000077")
        member_id = member["id"]

        # Check-in and a coupon from the coupon centre.
        mei.go("/mall/checkin")
        mei.click("#checkin")
        # The page after the POST (not the one the click left): checked today.
        mei.el('#checkin-state[data-checked="true"]')
        mei.go("/mall/coupons")
        mei.click("#claim-NEW10")
        mei.el('.my-coupon[data-code="NEW10"]')
        mei.fits()
        mei.shot("mall-coupons")
        points_before = chain.c("points", "show", member_id)
        mei.go("/mall/points")
        assert mei.text("#points-balance") == str(points_before["available"]), (mei.text("#points-balance"), points_before)

        # The cart explains the price; checkout with the coupon and the points.
        mei.go("/mall/products/MUG-01")
        mei.click("#add-to-cart")
        # Adding lands on the cart (a GET of our own could race the POST's redirect).
        mei.wait.until(lambda d: d.current_url.split("?")[0].endswith("/mall/cart"))
        mei.el("#explanation")
        mei.fits()
        mei.shot("mall-cart")
        mei.click("#checkout")
        mei.el("#ship-name").send_keys("小美")
        mei.el("#ship-phone").send_keys("13900000077")
        mei.el("#ship-address").send_keys("浙江省杭州市西湖区文三路 1 号")
        mei.el("#points").send_keys(str(points_before["available"]))
        coupon = mei.el("#coupon")
        if coupon.tag_name == "select":
            Select(coupon).select_by_value("NEW10")
        else:
            coupon.send_keys("NEW10")
        mei.fits()
        mei.shot("mall-checkout")
        mei.click("#place-order")
        mei.wait.until(lambda d: d.current_url.endswith("/pay"))
        order_id = mei.d.current_url.split("/mall/orders/")[1].split("/")[0]
        order = chain.c("order", "show", order_id)
        assert order["status"] == "pending" and order["member"] == member_id, order
        assert order["coupon"] == "NEW10", order
        mei.shot("mall-pay")
        mei.click("#pay-sandbox-wechat")
        mei.click("#sandbox-pay")
        mei.wait.until(lambda d: d.current_url.rstrip("/").endswith(order_id))
        order = chain.c("order", "show", order_id)
        assert order["status"] == "paid" and order["paid_cents"] == order["total_cents"], order

        # Head office ships from the console; the member sees the tracking number and confirms.
        desk.get(chain.server.url + f"/console/orders/{order_id}")
        form = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f'form[action="/console/orders/{order_id}/ship"]')))
        form.find_element(By.NAME, "carrier").send_keys("顺丰速运")
        form.find_element(By.NAME, "tracking").send_keys("SF9988776655")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # The POST's redirect replaces the page: read the new one only once the form is gone
        # (reading `main` mid-swap fails in Chrome with "Node … does not belong to the document").
        wait.until(replaced(form))
        wait.until(lambda d: "SF9988776655" in d.find_element(By.CSS_SELECTOR, "main").text)
        mei.go(f"/mall/orders/{order_id}")
        assert mei.text("#order-tracking") == "SF9988776655"
        mei.fits()
        mei.shot("mall-order")
        mei.click("#confirm-receipt")
        mei.wait.until(lambda d: chain.c("order", "show", order_id)["status"] == "completed")

        # The distributor's commission: frozen until the after-sale window ends.
        dora.go("/mall/distributor/commissions")
        row = dora.el(f'.commission[data-order="{order_id}"]')
        assert row.get_attribute("data-state") == "frozen", row.get_attribute("outerHTML")
        dora.shot("mall-distributor-commissions")

        # At the store's counter after a sync: the same points and the coupon used.
        chain.s("sync")
        at_store = chain.s("member", "find", "--phone", "13900000077")
        at_central = chain.c("member", "show", member_id)
        assert at_store["points"] == at_central["points"], (at_store, at_central)
        coupon_at = lambda run: next(c for c in run("coupon", "list")["coupons"] if c["code"] == "NEW10")
        assert coupon_at(chain.s) == coupon_at(chain.c), (coupon_at(chain.s), coupon_at(chain.c))
        mei.go("/mall/points")
        assert mei.text("#points-balance") == str(chain.c("points", "show", member_id)["available"])

        # Past the window (central's clock 8 days on), the commission is available to withdraw.
        chain.restart(8 * DAY_MS)
        dora.go("/mall/distributor/commissions")
        # A mall session ends after 7 idle days: she signs in again and comes back to the page.
        dora.wait.until(lambda d: "/mall/login" in d.current_url)
        dora.login("13800000004", "")
        dora.wait.until(lambda d: d.current_url.endswith("/mall/distributor/commissions"))
        row = dora.el(f'.commission[data-order="{order_id}"]')
        assert row.get_attribute("data-state") == "available", row.get_attribute("outerHTML")
        shown = dora.text("#commission-available")
        os.environ["FENXIAO_CLOCK_SKEW_MS"] = str(8 * DAY_MS)  # the CLI reads central at the same time
        try:
            account = chain.c("distributor", "show", distributor["id"])["account"]
        finally:
            del os.environ["FENXIAO_CLOCK_SKEW_MS"]
        assert account["available_cents"] > 0, account
        assert shown == yuan(account["available_cents"]), (shown, account)
        dora.go("/mall/distributor/withdraw")
        dora.shot("mall-distributor-withdraw")
    finally:
        for p in people:
            p.quit()
        desk.quit()
        chain.server.stop()


if __name__ == "__main__":
    sys.exit(run_scenario("mall browser test", scenario))
