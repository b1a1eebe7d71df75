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

        /// Creates the value.
        package init(epoch: Double, text: String) {
            self.epoch = epoch
            self.text = text
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
