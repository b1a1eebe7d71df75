import GlancedSystem

/// A `hide=` option of `glances.conf` (`[network]`, `[diskio]`, `[fs]`): comma-separated regular
/// expressions; a name is hidden when one of them matches all of it.
package struct HideList {
    private let patterns: [ConfigRegex]

    /// Compiles `option` (nil or empty: hide nothing). A pattern that does not compile is ignored (the
    /// configuration loader reports it at start-up).
    package init(_ option: String?) {
        patterns = Self.patterns(of: option ?? "").compactMap { ConfigRegex($0, whole: true) }
    }

    /// The patterns of a `hide=` value: its comma-separated parts, trimmed, empty ones dropped.
    package static func patterns(of option: String) -> [String] {
        option.split(separator: ",").compactMap { part in
            let pattern = part.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            let trimmed = pattern.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed()
            return trimmed.isEmpty ? nil : String(trimmed)
        }
    }

    /// Whether `name` is hidden.
    package func hides(_ name: String) -> Bool {
        !patterns.isEmpty && patterns.contains { $0.matches(name) }
    }
}

/// The change of a cumulative kernel counter between two samples.
package enum CounterDelta {
    /// `now − before`, or 0 when there is no `before` or the counter went backwards (reset or wrap).
    package static func between(_ before: UInt64?, _ now: UInt64) -> UInt64 {
        guard let before, now >= before else { return 0 }
        return now - before
    }
}
