import GlancedSystem

/// `system`: what the machine is; `hr_name` is what Glances' browser mode shows (and needs).
package struct SystemPlugin: StatsPlugin {
    package static let name = "system"

    package init(configuration: PluginConfiguration) {}

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        let host = refresh.value(of: HostSource.self)
        let platform = HostInfo.platformBits
        json.object { json in
            json.field("os_name", "Linux")
            json.field("hostname", host.hostname)
            json.field("platform", platform)
            json.field("linux_distro", host.distribution)
            json.field("os_version", host.kernelRelease)
            json.field("hr_name", "\(host.distribution) \(platform)")
        }
    }
}
