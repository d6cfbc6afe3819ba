// The unpaid order's countdown (#expires-in): the server renders the deadline and its own
// clock; this only ticks the minutes and seconds left, in the page's language.
(function () {
  var el = document.getElementById("expires-in");
  if (!el) return;
  var deadline = Number(el.getAttribute("data-deadline"));
  var skew = Number(el.getAttribute("data-now")) - Date.now();
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  function tick() {
    var left = Math.max(0, deadline - (Date.now() + skew));
    var m = Math.floor(left / 60000), s = Math.floor((left % 60000) / 1000);
    var mmss = m + ":" + (s < 10 ? "0" : "") + s;
    el.textContent = left === 0
      ? (zh ? "订单已超时，将自动取消" : "This order is past its deadline and will be cancelled")
      : (zh ? "剩余支付时间 " + mmss : "Time left to pay " + mmss);
    if (left > 0) setTimeout(tick, 1000);
  }
  tick();
})();
