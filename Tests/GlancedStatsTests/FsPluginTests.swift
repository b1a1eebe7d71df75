import Foundation
import GlancedStats
import GlancedSystem
import Testing

@Suite struct FsPluginTests {
    private func nodevTypes() throws -> Set<String> {
        Set(
            try String(contentsOfFile: "/proc/filesystems", encoding: .utf8).split(separator: "\n")
                .filter { $0.hasPrefix("nodev") }.compactMap { $0.split(separator: "\t").last.map(String.init) })
    }

    @Test func physicalMountsWithStatvfsSizes() throws {
        // The root's usage is read just before and just after the sample: builds and logs move it meanwhile.
        var before = statvfs()
        #expect(statvfs("/", &before) == 0)
        let fs = try PluginSampler([FsPlugin.self]).stats(of: FsPlugin.self)
        var after = statvfs()
        #expect(statvfs("/", &after) == 0)
        let nodev = try nodevTypes()
        var points = Set<String>()
        for usage in fs.mounts {
            let type = usage.mount.fsType
            #expect(!nodev.contains(type), "\(type) is not physical")
            #expect(points.insert(usage.mount.mountPoint).inserted, "one entry per mount point")
            #expect(usage.used <= usage.size)
            let percent = usage.percent
            #expect(percent >= 0 && percent <= 100 && (percent * 10).rounded() == percent * 10)
        }
        let mounts = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: " ") }
        guard let rootType = mounts.last(where: { $0[1] == "/" })?[2], !nodev.contains(String(rootType)) else { return }
        let root = try #require(fs.mounts.first { $0.mount.mountPoint == "/" })
        #expect(root.size == UInt64(after.f_blocks) * UInt64(after.f_frsize))
        #expect(root.mount.fsType == String(rootType))
        let expected = [before, after].map { stats in
            let used = Double((Int(stats.f_blocks) - Int(stats.f_bfree)) * Int(stats.f_frsize))
            let available = Double(Int(stats.f_bavail) * Int(stats.f_frsize))
            return used * 100 / (used + available)
        }
        let percent = root.percent
        #expect(percent >= expected.min()! - 0.15 && percent <= expected.max()! + 0.15, "\(percent) vs \(expected)")
        // Free space may go down and up again between the two reads (builds write and delete): 64 MiB of slack.
        let available = [before, after].map { Double($0.f_bavail) * Double($0.f_frsize) }
        let drift = Double(64 << 20)
        #expect(
            Double(root.available) >= available.min()! - drift && Double(root.available) <= available.max()! + drift,
            "available \(root.available) vs \(available)")
    }

    @Test func hiddenMountPointsAreLeftOut() throws {
        let configuration = PluginConfiguration(sections: ["fs": ConfigSection([.init(key: "hide", value: "/")])])
        let fs = try PluginSampler([FsPlugin.self], configuration: configuration).stats(of: FsPlugin.self)
        #expect(!fs.mounts.contains { $0.mount.mountPoint == "/" })
        let all = try PluginSampler([FsPlugin.self]).stats(of: FsPlugin.self)
        #expect(fs.mounts.map(\.mount) == all.mounts.map(\.mount).filter { $0.mountPoint != "/" })
    }
}
