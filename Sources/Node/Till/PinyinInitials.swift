import Foundation

/// Pinyin initials of a product name, for searching at the counter: 乌龙茶 → `wlc`,
/// 龙井茶 250g → `ljc250g`. Han characters go through ICU's Mandarin-to-Latin transform
/// (Foundation's `applyingTransform(.mandarinToLatin)`, which works on Linux too); ASCII
/// letters and digits are kept, lower-cased; everything else is dropped.
public enum PinyinInitials {
    /// NSCache is thread-safe.
    nonisolated(unsafe) private static let cache = NSCache<NSString, NSString>()

    /// The initials of `name` (cached: ICU transforms are slow next to a lookup).
    public static func of(_ name: String) -> String {
        if let hit = cache.object(forKey: name as NSString) { return hit as String }
        var out = ""
        for ch in name {
            if ch.isASCII {
                if ch.isLetter || ch.isNumber { out += ch.lowercased() }
                continue
            }
            guard ch.unicodeScalars.contains(where: { $0.properties.isIdeographic }),
                let latin = String(ch).applyingTransform(.mandarinToLatin, reverse: false)?
                    .applyingTransform(.stripDiacritics, reverse: false),
                let first = latin.lowercased().first(where: { $0.isASCII && $0.isLetter })
            else { continue }
            out.append(first)
        }
        cache.setObject(out as NSString, forKey: name as NSString)
        return out
    }
}
