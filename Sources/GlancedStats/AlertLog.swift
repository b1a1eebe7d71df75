/// The level of a value against its careful / warning / critical thresholds.
package enum AlertLevel: Int, Sendable, Comparable {
    case ok, careful, warning, critical

    package static func < (lhs: AlertLevel, rhs: AlertLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The name Glances writes in an alert entry.
    package var name: String {
        switch self {
        case .ok: return "OK"
        case .careful: return "CAREFUL"
        case .warning: return "WARNING"
        case .critical: return "CRITICAL"
        }
    }
}

/// Careful, warning and critical thresholds of one alert type; a value above one reaches its level.
package struct AlertThresholds: Sendable, Equatable {
    package var careful: Double
    package var warning: Double
    package var critical: Double

    /// Creates thresholds.
    package init(careful: Double, warning: Double, critical: Double) {
        self.careful = careful
        self.warning = warning
        self.critical = critical
    }

    /// The level of `value` (Glances 2.0 compares with `>`).
    package func level(of value: Double) -> AlertLevel {
        if value > critical { return .critical }
        if value > warning { return .warning }
        if value > careful { return .careful }
        return .ok
    }
}

/// Glances' alert log: events opened at WARNING or CRITICAL, updated while they last, closed when the
/// value drops back to CAREFUL or OK; newest first, at most ten kept.
package struct AlertLog: Sendable {
    /// One event, as the 11-element array of the wire format.
    package struct Event: Sendable, Equatable {
        package var start: Double
        package var end: Double = -1
        package var level: AlertLevel
        package var type: String
        package var max: Double
        package var min: Double
        package var sum: Double
        package var count: Int

        package var average: Double { count > 0 ? sum / Double(count) : 0 }
        package var isOngoing: Bool { end < 0 }
    }

    /// The events, newest first.
    package private(set) var events: [Event] = []
    /// How many events are kept.
    package let capacity: Int

    /// Creates an empty log keeping `capacity` events.
    package init(capacity: Int = 10) {
        self.capacity = capacity
    }

    /// Records `value` of alert `type` at `level`, at `time` (seconds since the epoch, whole seconds).
    package mutating func record(type: String, level: AlertLevel, value: Double, time: Double) {
        let time = time.rounded(.down)
        if let index = events.firstIndex(where: { $0.type == type && $0.isOngoing }) {
            if level < .warning {
                events[index].end = time
            } else {
                if level == .critical { events[index].level = .critical }
                events[index].max = Swift.max(events[index].max, value)
                events[index].min = Swift.min(events[index].min, value)
                events[index].sum += value
                events[index].count += 1
            }
        } else if level >= .warning {
            events.insert(
                Event(start: time, level: level, type: type, max: value, min: value, sum: value, count: 1), at: 0)
            if events.count > capacity { events.removeLast(events.count - capacity) }
        }
    }

    /// Writes the log in the wire format:
    /// `[start, end or -1, level, type, max, avg, min, sum, count, [], ""]` per event.
    package func write(into json: inout JSONWriter) {
        json.array { json in
            for event in events {
                json.array { json in
                    json.value(event.start)
                    if event.isOngoing { json.value(-1) } else { json.value(event.end) }
                    json.value(event.level.name)
                    json.value(event.type)
                    json.value(event.max)
                    json.value(event.average)
                    json.value(event.min)
                    json.value(event.sum)
                    json.value(event.count)
                    json.array { _ in }
                    json.value("")
                }
            }
        }
    }
}

extension AlertThresholds {
    /// The thresholds `<prefix>careful`, `<prefix>warning` and `<prefix>critical` of `section`, when all three are
    /// numbers.
    package init?(_ section: ConfigSection, prefix: String) {
        guard let careful = section[prefix + "careful"].flatMap(Double.init),
            let warning = section[prefix + "warning"].flatMap(Double.init),
            let critical = section[prefix + "critical"].flatMap(Double.init)
        else { return nil }
        self.init(careful: careful, warning: warning, critical: critical)
    }

    /// The view decoration of `value` against the thresholds `<prefix>…` of `section`: `OK`, `CAREFUL`,
    /// `WARNING` or `CRITICAL`; nil when the section has no such thresholds.
    package static func decoration(_ value: Double, _ section: ConfigSection, prefix: String) -> String? {
        AlertThresholds(section, prefix: prefix).map { $0.level(of: value).name }
    }
}
