/// Whether two secrets (a CSRF token, a login form's token) are equal, in time independent of
/// where they differ; two empty values are never equal.
func sameToken(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count, !x.isEmpty else { return false }
    return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
}
