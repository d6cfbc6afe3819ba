import Commerce
import HummingbirdBcrypt
import Replication
import Storage

extension Members {
    /// bcrypt's cost for members' mall passwords (as the console's: about a tenth of a second).
    static let mallBcryptCost: UInt8 = 11
    /// Password sign-ins tried for one phone within an hour before the phone must wait (or use a code).
    public static let passwordTriesPerPhonePerHour: Int64 = 10

    /// Signs in with the phone and the password its member set in the mall (the code stays the
    /// way in for a member without one, or who forgot it). An unknown phone, a member without a
    /// password and a wrong password get the same refusal, so the answer does not tell which
    /// phones are members. Every try counts against the phone (10 an hour) and the client
    /// address (60 sign-ins an hour, with the code sign-ins).
    public func signInByPassword(phone: String, password: String, address: String) throws(NodeError)
        -> MallLoginAttempt
    {
        try requireCentral("the members' mall")
        let phone = try Self.mallPhone(phone)
        guard !password.isEmpty, password.utf8.count <= 72 else {
            throw NodeError(.invalidInput, "\(Field.password) must be 1–72 bytes", field: .password)
        }
        enum Lookup {
            case limited(PhoneCodeLimit), found(member: String, hash: String), unknown
        }
        let lookup: Lookup = try write { tx in
            let since = tx.nowMillis - PhoneCodePolicy.hour
            let byAddress = "login-ip:\(address)"
            let byPhone = "password-phone:\(phone)"
            if try tx.codeRequests(key: byAddress, since: since) >= PhoneCodePolicy.loginsPerAddressPerHour {
                return .limited(PhoneCodeLimit(kind: .address, retryAfterSeconds: 3600))
            }
            if try tx.codeRequests(key: byPhone, since: since) >= Self.passwordTriesPerPhonePerHour {
                return .limited(PhoneCodeLimit(kind: .passwordTries, retryAfterSeconds: 3600))
            }
            try tx.countCodeRequest(keys: [byAddress, byPhone])
            guard let claimant = try tx.reader.claimant(of: "phone:\(phone)"), claimant.hasPrefix("member:") else {
                return .unknown
            }
            let member = String(claimant.dropFirst("member:".count))
            guard let hash = try tx.memberPassword(member: member) else { return .unknown }
            return .found(member: member, hash: hash)
        }
        switch lookup {
        case .limited(let limit): return .limited(limit)
        case .unknown:
            // As slow as a wrong password, so timing does not tell members apart either.
            _ = Bcrypt.verify(password, hash: Self.decoyHash)
            throw Self.wrongPassword
        case .found(let member, let hash):
            guard Bcrypt.verify(password, hash: hash) else { throw Self.wrongPassword }
            return .signedIn(try write { tx in try Self.startMallSession(member: member, created: false, &tx) })
        }
    }

    static let wrongPassword = NodeError(
        .unauthorized, "wrong \(Field.phone) or \(Field.password); sign in with a code if you forgot it")

    /// A hash no password matches, checked when the phone has no password (same work as a real check).
    static let decoyHash = Bcrypt.hash("no password is set for this phone", cost: mallBcryptCost)
}
