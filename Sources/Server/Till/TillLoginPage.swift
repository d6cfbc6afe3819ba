import Node
import Replication

/// Enrolment (a till's browser keeps the token `fenxiao till add` printed) and login (user id
/// and PIN). Plain forms: they work before the script loads.
struct TillLoginPage {
    var layout: TillLayout

    func t(_ key: TillText) -> String { layout.t(key) }

    func login(error: NodeError?) -> String {
        let message =
            error.map {
                #"<p class="message error" id="message">\#(HTML.escape($0.tillSentence(layout.language)))</p>"#
            } ?? ""
        let bad = { (field: String) in error?.field?.rawValue == field ? #" class="invalid""# : "" }
        let main = """
            <section class="panel login"><h2>\(t(.loginTitle))</h2>
            <form method="post" action="/till/login" autocomplete="off">
            <label>\(t(.user))<input id="login-user" name="user" autofocus\(bad("user"))></label>
            <label>\(t(.pin))<input id="login-pin" name="pin" type="password" inputmode="numeric"\(bad("pin"))></label>
            <button id="login" class="primary">\(t(.login))</button></form>\(message)</section>
            """
        return layout.page(title: TillText.login.text(layout.language), tab: .none, main: main)
    }

    func enroll(error: String?) -> String {
        let main = """
            <section class="panel login"><h2>\(t(.enrollTitle))</h2><p class="muted">\(t(.enrollHelp))</p>
            <form method="post" action="/till/enroll" autocomplete="off">
            <label>\(t(.tillToken))<input id="till-token" name="token" autofocus\(error == nil ? "" : #" class="invalid""#)></label>
            <button id="enroll" class="primary">\(t(.enroll))</button></form></section>
            """
        return layout.page(title: TillText.enroll.text(layout.language), tab: .none, main: main)
    }
}
