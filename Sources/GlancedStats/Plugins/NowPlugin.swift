import GlancedSystem

/// `now`: the local time of the sample, `YYYY-MM-DD HH:MM:SS`.
package struct NowPlugin: StatsPlugin {
    package static let name = "now"

    /// When the sample was taken.
    package struct Stats: PluginStats {
        /// Seconds since the epoch.
        package var epoch: Double
        /// The local time, as Glances writes it.
        package var text: String
        /// The local time with its zone, as 3.x writes it (`2026-12-03 21:47:36 UTC`).
        package var zoned: String
        /// The local time in ISO 8601 with its offset, as 4.x writes `iso` (`2026-12-03T21:47:36+00:00`).
        package var iso: String

        /// Creates the value; the zoned and ISO forms default to those of `epoch` in the local zone.
        package init(epoch: Double, text: String, zoned: String? = nil, iso: String? = nil) {
            self.epoch = epoch
            self.text = text
            self.zoned = zoned ?? HostInfo.localTimeStringWithZone(epoch: epoch)
            self.iso = iso ?? HostInfo.localTimeISO(epoch: epoch)
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.value(text)
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        Stats(epoch: refresh.epoch, text: HostInfo.localTimeString(epoch: refresh.epoch))
    }
}

extension NowPlugin.Stats {
    /// 3.x: a string with the zone.
    package func writeGlances3(into json: inout JSONWriter) {
        json.value(zoned)
    }

    /// 4.x: `{"iso": …, "custom": …}`.
    package func writeGlances4(into json: inout JSONWriter) {
        json.object { json in
            json.field("iso", iso)
            json.field("custom", zoned)
        }
    }
}
