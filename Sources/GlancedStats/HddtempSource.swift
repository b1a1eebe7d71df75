package import GlancedSystem

/// The hddtemp daemon's disks, read once per sample (hddtemp, sensors) from a background fetch.
///
/// The daemon's address is `[hddtemp] host` / `port` (default `127.0.0.1:7634`). The sample never
/// waits for the daemon: it gets the last completed fetch (see ``HddtempMonitor``).
package final class HddtempSource: SharedSource {
    /// The background fetcher.
    package let monitor: HddtempMonitor

    /// Creates the source for the configuration's `[hddtemp]` address; nothing is fetched before the
    /// first read.
    package init(configuration: PluginConfiguration) {
        monitor = HddtempMonitor(client: Self.client(configuration.section("hddtemp")))
    }

    /// The disks of the last completed fetch (the first read waits briefly for the first one).
    package func read(_ refresh: Refresh) -> [HddtempDisk] {
        monitor.disks()
    }

    /// The client for `[hddtemp]`: its `host` and `port`, the defaults where absent or empty, and the
    /// default port where `port` is not a number in 1...65535.
    package static func client(_ section: ConfigSection) -> HddtempClient {
        let host = section["host"].flatMap { $0.isEmpty ? nil : $0 } ?? HddtempClient.defaultHost
        let port = section["port"].flatMap { UInt16($0) }.flatMap { $0 == 0 ? nil : $0 } ?? HddtempClient.defaultPort
        return HddtempClient(host: host, port: port)
    }
}
