"""The console's members, distributors and reports screens in a real browser (issue 18 §7–8):
headless Chromium against the same real central and two syncing stores as console_e2e.py.
The report's sales table equals `fenxiao report sales` row for row, its CSV downloads with a
BOM and reads back, a member's page shows the ledgers, the distributor tree nests the downline,
and a finance clerk on a phone reads reports but not members. Screenshots go to
$FENXIAO_SCREENS (`make screens`: docs/screens/).

Run by `make test-browser`; exits non-zero on any failure (never skips)."""
import os
import sys
import time

from selenium.webdriver.common.by import By

from console_e2e import Chain, Console, browser, download, yuan
from nodes import run_scenario


def scenario(fx, root, shots):
    chain = Chain(fx, root)
    c = chain.c
    c("member", "level", "--define", "silver", "--name", "银卡", "--min-points", "100")
    c("member", "level", "--define", "gold", "--name", "金卡", "--min-points", "1000", "--discount", "5")
    c("group", "define", "--id", "buyers", "--name", "近期购买", "--min-spend", "100", "--days", "30")
    c("member", "topup", "--id", "M9", "--amount", "50")
    c("member", "points", "--id", "M9", "--add", "150")
    c("member", "add", "--id", "E", "--name", "会员E", "--phone", "13800000077")
    c("distributor", "apply", "--member", "E", "--inviter-code", "RC-C")
    c("distributor", "review", "E", "--approve")
    downloads = os.path.join(root, "downloads")
    os.makedirs(downloads)
    driver = browser(downloads)
    try:
        ui = Console(driver, chain.server.url, shots)
        ui.login("boss", "boss-pass-1")
        # The sales table is `fenxiao report sales` for the same 31 days, row for row.
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
        start = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 - 30 * 86400))
        driver.get(chain.server.url + f"/console/reports?period=day&from={start}&to={today}")
        rows = c("report", "sales", "--by", "day", "--from", start)["rows"]
        shown = [[td.text for td in tr.find_elements(By.CSS_SELECTOR, "td")]
                 for tr in driver.find_elements(By.CSS_SELECTOR, 'table[data-table="sales"] tbody tr')]
        expected = [[r["period"] if r["period"] != "total" else "合计", r["store"] if r["store"] != "*" else "合计",
                     str(r["orders"]), yuan(r["revenue_cents"]), yuan(r["refunds_cents"]), yuan(r["net_cents"]),
                     yuan(r["average_order_cents"])] for r in rows]
        assert shown == expected, (shown, expected)
        assert driver.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar"), "no chart"
        ui.shot("console-sales-report")
        # Its CSV, downloaded by the browser and read back.
        ui.click('#table-sales a.csv')
        table = download(downloads, "fenxiao-report-sales.csv")
        assert [(r["period"], r["store"], int(r["orders"])) for r in table] == \
            [(r["period"], r["store"], r["orders"]) for r in rows], table

        # A member found by phone; their page with level, ledgers and coupons.
        driver.get(chain.server.url + "/console/members?q=13800000009")
        ui.click('a[href="/console/members/M9"]')
        assert ui.el('dd[data-key="wallet"]').text == "¥50.00"
        assert "银卡" in ui.el("#level").text
        assert driver.find_elements(By.CSS_SELECTOR, 'table[data-table="points"] tbody tr')
        ui.shot("console-member-ledgers")

        # The tree: E under C; C's page with the commission of M9's mugs.
        driver.get(chain.server.url + "/console/distributors")
        nested = ui.el('ul.tree li[data-depth="0"] li[data-depth="1"] a')
        assert nested.text == "E", nested.text
        ui.shot("console-distributor-tree")
        driver.get(chain.server.url + "/console/distributors/C")
        ledger = ui.el('table[data-table="commissions"] tbody tr').text
        assert "¥18.00" in ledger, ledger
        driver.get(chain.server.url + "/console/distributors/commissions?by=level")
        assert "L1" in ui.el('table[data-table="report"]').text

        # A finance clerk on a phone: reports yes, members no.
        phone = browser(downloads, 390, 844)
        try:
            clerk = Console(phone, chain.server.url, shots)
            clerk.login("fay", "fay-pass-1")
            phone.get(chain.server.url + "/console/reports?period=month")
            clerk.el('table[data-table="sales"]')
            clerk.shot("console-phone-reports")
            phone.get(chain.server.url + "/console/members")
            assert "无权访问" in clerk.el("main h1").text
        finally:
            phone.quit()
    finally:
        driver.quit()
        chain.server.stop()


if __name__ == "__main__":
    sys.exit(run_scenario("console members browser test", scenario))
