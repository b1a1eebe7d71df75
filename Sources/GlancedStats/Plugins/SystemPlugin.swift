import GlancedSystem

/// `system`: what the machine is: OS, host name, distribution, kernel.
package struct SystemPlugin: StatsPlugin {
    package static let name = "system"

    /// The facts, fixed while the server runs.
    package struct Stats: PluginStats {
        package var hostname: String
        package var platform: String
        package var distribution: String
        package var kernelRelease: String

        /// Creates the value.
        package init(hostname: String, platform: String, distribution: String, kernelRelease: String) {
            self.hostname = hostname
            self.platform = platform
            self.distribution = distribution
            self.kernelRelease = kernelRelease
        }

        /// `NAME VERSION_ID` and the word size, e.g. `Debian GNU/Linux 12 64bit`.
        package var humanName: String { "\(distribution) \(platform)" }

        package func writeGlances2(into json: inout JSONWriter) {
            json.object { json in
                json.field("os_name", "Linux")
                json.field("hostname", hostname)
                json.field("platform", platform)
                json.field("linux_distro", distribution)
                json.field("os_version", kernelRelease)
                json.field("hr_name", humanName)
            }
        }
    }

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh) -> Stats {
        let host = refresh.value(of: HostSource.self)
        return Stats(
            hostname: host.hostname, platform: HostInfo.platformBits, distribution: host.distribution,
            kernelRelease: host.kernelRelease)
    }
}

extension SystemPlugin.Stats {
    /// 4.x: `hr_name` also names the kernel, `Debian GNU/Linux 12 64bit / Linux 6.1.0-18-amd64`.
    package func writeGlances4(into json: inout JSONWriter) {
        json.object { json in
            json.field("os_name", "Linux")
            json.field("hostname", hostname)
            json.field("platform", platform)
            json.field("os_version", kernelRelease)
            json.field("linux_distro", distribution)
            json.field("hr_name", humanName + " / Linux " + kernelRelease)
        }
    }
}
