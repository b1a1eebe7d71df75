import Foundation
import GlancedStats
import GlancedTestSupport
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
        let fs = try #require(try PluginSampler([FsPlugin.self]).sample()["fs"])
        var after = statvfs()
        #expect(statvfs("/", &after) == 0)
        let nodev = try nodevTypes()
        var points = Set<String>()
        for mount in fs.items {
            #expect(mount.keys == ["device_name", "fs_type", "mnt_point", "size", "used", "free", "percent"])
            let type = try #require(mount["fs_type"]?.stringValue)
            #expect(!nodev.contains(type), "\(type) is not physical")
            let point = try #require(mount["mnt_point"]?.stringValue)
            #expect(points.insert(point).inserted, "one entry per mount point")
            let size = try #require(mount["size"]?.intValue)
            let used = try #require(mount["used"]?.intValue)
            #expect(used <= size)
            let percent = try #require(mount["percent"]?.doubleValue)
            #expect(percent >= 0 && percent <= 100 && (percent * 10).rounded() == percent * 10)
        }
        let mounts = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: " ") }
        guard let rootType = mounts.last(where: { $0[1] == "/" })?[2], !nodev.contains(String(rootType)) else { return }
        let root = try #require(fs.items.first { $0["mnt_point"] == .string("/") })
        #expect(root["size"]?.intValue == Int(after.f_blocks) * Int(after.f_frsize))
        #expect(root["fs_type"]?.stringValue == String(rootType))
        let expected = [before, after].map { stats in
            let used = Double((Int(stats.f_blocks) - Int(stats.f_bfree)) * Int(stats.f_frsize))
            let available = Double(Int(stats.f_bavail) * Int(stats.f_frsize))
            return used * 100 / (used + available)
        }
        let percent = try #require(root["percent"]?.doubleValue)
        #expect(percent >= expected.min()! - 0.15 && percent <= expected.max()! + 0.15, "\(percent) vs \(expected)")
    }

    @Test func hiddenMountPointsAreLeftOut() throws {
        let configuration = PluginConfiguration(sections: ["fs": ConfigSection([.init(key: "hide", value: "/")])])
        let fs = try #require(try PluginSampler([FsPlugin.self], configuration: configuration).sample()["fs"])
        #expect(!fs.items.contains { $0["mnt_point"] == .string("/") })
    }
}
