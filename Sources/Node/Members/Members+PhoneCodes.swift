import Commerce
import Foundation
import Replication
import Storage

/// The numbers of the mall's one-time login codes.
public enum PhoneCodePolicy {
    /// A code lives 5 minutes.
    public static let lifeMillis: Int64 = 5 * 60_000
    /// Five wrong codes kill it.
    public static let maxTries: Int64 = 5
    /// One code per phone per minute, five per hour.
    public static let phoneGapMillis: Int64 = 60_000
    public static let phonePerHour: Int64 = 5
    /// Twenty code requests per client address per hour, and sixty login attempts.
    public static let addressPerHour: Int64 = 20
    public static let loginsPerAddressPerHour: Int64 = 60
    static let hour: Int64 = 3_600_000
}

/// A code sent: to whom, until when, and the code itself (a dev mode logs it; the SMS gateway
/// gets it from the `sms.code` event).
public struct PhoneCodeSent: Sendable, Equatable {
    public var phone: String
    public var code: String
    public var expires_at: Int64
}

/// Why a code request or a login attempt was refused for coming too often, and when to retry.
public struct PhoneCodeLimit: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A code went to this phone less than a minute ago.
        case phoneMinute
        /// Five codes went to this phone within the hour.
        case phoneHour
        /// This client address asked for too many codes (or tried too many logins) this hour.
        case address
        /// Ten password sign-ins were tried for this phone within the hour.
        case passwordTries
    }
    public var kind: Kind
    public var retryAfterSeconds: Int64
}

/// What a code request answers: sent, or refused for coming too often (nothing sent).
public enum PhoneCodeRequest: Sendable, Equatable {
    case sent(PhoneCodeSent)
    case limited(PhoneCodeLimit)
}

/// A member signed in at the mall: who, whether the phone was new (a member was created), and
/// the session's token (the browser keeps it in a cookie) with its CSRF token.
public struct MallLogin: Sendable, Equatable {
    public var member: String
    public var created: Bool
    public var token: String
    public var csrf: String
}

/// What a login attempt answers: signed in, or refused for coming too often.
public enum MallLoginAttempt: Sendable, Equatable {
    case signedIn(MallLogin)
    case limited(PhoneCodeLimit)
}

extension Members {
    /// Sends a 6-digit login code to `phone` (central only): kept salted and hashed for
    /// ``PhoneCodePolicy/lifeMillis``, delivered as an `sms.code` outbox event
    /// (`{"phone", "code", "expires_at", "purpose": "login"}`, subject the phone) that the
    /// webhook hands to an SMS gateway. A new code replaces the phone's earlier one. Refused
    /// (``PhoneCodeRequest/limited(_:)``, nothing kept or sent) past the per-phone and
    /// per-address limits; `address` is the client's address as the face knows it.
    public func requestPhoneCode(phone: String, address: String) throws(NodeError) -> PhoneCodeRequest {
        try requireCentral("the members' mall")
        let phone = try Self.mallPhone(phone)
        return try write { tx in
            let now = tx.nowMillis
            if let limit = try Self.codeLimit(phone: phone, address: address, tx) { return .limited(limit) }
            let digits = String(UInt32.random(in: 0..<1_000_000))
            let code = String(repeating: "0", count: 6 - digits.count) + digits
            let salt = Tokens.generate()
            let expires = now + PhoneCodePolicy.lifeMillis
            try tx.putMemberCode(
                MemberCodeRow(
                    phone: phone, codeHash: Self.codeHash(code, phone: phone, salt: salt), salt: salt,
                    createdAt: now, expiresAt: expires, tries: 0, usedAt: nil))
            try tx.countCodeRequest(keys: ["phone:\(phone)", "ip:\(address)"])
            var payload = ""
            JSONValue.object([
                "phone": .string(phone), "code": .string(code), "expires_at": .int(expires),
                "purpose": .string("login"),
            ]).write(into: &payload)
            try tx.enqueue(topic: "sms.code", subject: phone, payload: payload)
            return .sent(PhoneCodeSent(phone: phone, code: code, expires_at: expires))
        }
    }

    /// Signs in with the code sent to `phone`: the member whose phone it is (the same member as
    /// at the counters), or a new member (id `MB-<node>-<stamp>`, named `name` or 会员 and the
    /// phone's last four digits). The login is recorded on the member (`last_login_at`) and a
    /// mall session starts (30 days at most, 7 days idle). A wrong code counts against it
    /// (dead after ``PhoneCodePolicy/maxTries``); an expired, used or dead code is refused.
    public func signInByCode(phone: String, code: String, name: String?, address: String) throws(NodeError)
        -> MallLoginAttempt
    {
        try requireCentral("the members' mall")
        let phone = try Self.mallPhone(phone)
        guard code.utf8.count == 6, code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw NodeError(.invalidInput, "\(Field.code) must be the 6 digits sent to the phone")
        }
        if let name, name.isEmpty || name.count > 40 {
            throw NodeError(.invalidInput, "\(Field.name) must be 1–40 characters")
        }
        enum Outcome {
            case limited(PhoneCodeLimit), refused(NodeError), signedIn(MallLogin)
        }
        // A wrong code must stay counted, so the refusal is thrown after the transaction commits.
        let outcome: Outcome = try write { tx in
            let now = tx.nowMillis
            let since = now - PhoneCodePolicy.hour
            let key = "login-ip:\(address)"
            if try tx.codeRequests(key: key, since: since) >= PhoneCodePolicy.loginsPerAddressPerHour {
                return .limited(PhoneCodeLimit(kind: .address, retryAfterSeconds: 3600))
            }
            try tx.countCodeRequest(keys: [key])
            guard let kept = try tx.memberCode(phone: phone), kept.usedAt == nil else {
                return .refused(
                    NodeError(.unauthorized, "no \(Field.code) is waiting for this phone; ask for a new one"))
            }
            guard kept.tries < PhoneCodePolicy.maxTries else {
                return .refused(
                    NodeError(.unauthorized, "this \(Field.code) had 5 wrong tries and is dead; ask for a new one"))
            }
            guard kept.expiresAt > now else {
                return .refused(
                    NodeError(.unauthorized, "this \(Field.code) expired (codes last 5 minutes); ask for a new one"))
            }
            guard Self.codeHash(code, phone: phone, salt: kept.salt) == kept.codeHash else {
                try tx.memberCodeMissed(phone: phone)
                let left = PhoneCodePolicy.maxTries - kept.tries - 1
                return .refused(
                    NodeError(
                        .unauthorized,
                        left > 0
                            ? "wrong \(Field.code); \(left) more tries"
                            : "wrong \(Field.code); the code is now dead, ask for a new one"))
            }
            try tx.memberCodeUsed(phone: phone)
            let (member, created) = try Self.memberOfPhone(phone, name: name, &tx)
            return .signedIn(try Self.startMallSession(member: member, created: created, &tx))
        }
        switch outcome {
        case .limited(let limit): return .limited(limit)
        case .refused(let error): throw error
        case .signedIn(let login): return .signedIn(login)
        }
    }

    /// Records the member's login (`last_login_at`) and starts a mall session (30 days at most,
    /// 7 days idle); the session token is kept only as its hash.
    static func startMallSession(member: String, created: Bool, _ tx: inout LocalTransaction) throws -> MallLogin {
        let now = tx.nowMillis
        try tx.emit(MemberRegister(lastLoginAtMillis: now), entity: member, scope: .global)
        let token = Tokens.generate()
        let csrf = Tokens.generate()
        try tx.insertMemberSession(
            MemberSessionRow(
                tokenHash: Tokens.hash(token), member: member, csrf: csrf, startedAt: now, lastSeenAt: now,
                expiresAt: now + MallSessionPolicy.absoluteMillis, endedAt: nil))
        return MallLogin(member: member, created: created, token: token, csrf: csrf)
    }

    /// The member holding `phone` (the claim the counters use), or a new one registered here.
    static func memberOfPhone(_ phone: String, name: String?, _ tx: inout LocalTransaction) throws -> (
        String, Bool
    ) {
        if let claimant = try tx.reader.claimant(of: "phone:\(phone)"), claimant.hasPrefix("member:") {
            return (String(claimant.dropFirst("member:".count)), false)
        }
        let id = tx.newID("MB")
        try tx.emit(
            MemberRegister(
                name: name ?? "会员\(phone.suffix(4))", phone: phone, registeredAtMillis: tx.nowMillis,
                home: tx.identity.node.rawValue),
            entity: id, scope: .global)
        return (id, true)
    }

    /// The limit a new code request would pass, if any.
    static func codeLimit(phone: String, address: String, _ tx: LocalTransaction) throws -> PhoneCodeLimit? {
        let now = tx.nowMillis
        if let last = try tx.lastCodeRequest(key: "phone:\(phone)"), now - last < PhoneCodePolicy.phoneGapMillis {
            return PhoneCodeLimit(
                kind: .phoneMinute, retryAfterSeconds: (PhoneCodePolicy.phoneGapMillis - (now - last) + 999) / 1000)
        }
        let since = now - PhoneCodePolicy.hour
        if try tx.codeRequests(key: "phone:\(phone)", since: since) >= PhoneCodePolicy.phonePerHour {
            return PhoneCodeLimit(kind: .phoneHour, retryAfterSeconds: 3600)
        }
        if try tx.codeRequests(key: "ip:\(address)", since: since) >= PhoneCodePolicy.addressPerHour {
            return PhoneCodeLimit(kind: .address, retryAfterSeconds: 3600)
        }
        return nil
    }

    /// A phone as the mall takes it: spaces dropped, then the counters' rule (5–20 digits, + or -).
    static func mallPhone(_ phone: String) throws(NodeError) -> String {
        let trimmed = phone.filter { $0 != " " }
        guard validPhone(trimmed) else {
            throw NodeError(.invalidInput, "\(Field.phone) must be 5–20 digits (with + or -)")
        }
        return trimmed
    }

    static func codeHash(_ code: String, phone: String, salt: String) -> String {
        Tokens.hash("\(salt):\(phone):\(code)")
    }
}
