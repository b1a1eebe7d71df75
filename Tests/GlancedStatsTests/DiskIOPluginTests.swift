import Foundation
import GlancedStats
import GlancedSystem
import GlancedTestSupport
import Testing

@Suite struct DiskIOPluginTests {
    @Test func listsTheDevicesThatHaveSeenIO() throws {
        let diskio = try #require(try PluginSampler([DiskIOPlugin.self]).sample()["diskio"])
        let lines = try String(contentsOfFile: "/proc/diskstats", encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: " ") }
        let used = lines.filter { fields in [3, 5, 7, 9].contains { (Int(fields[$0]) ?? 0) > 0 } }.map { String($0[2]) }
        #expect(diskio.items.compactMap { $0["disk_name"]?.stringValue } == used)
        for disk in diskio.items {
            #expect(
                disk.keys == [
                    "disk_name", "read_bytes", "write_bytes", "read_count", "write_count", "time_since_update",
                ])
            #expect(disk["read_bytes"] == .int(0) && disk["write_bytes"] == .int(0))
            #expect(disk["time_since_update"] == .int(1))
        }
    }

    @Test func aSyncedWriteShowsUpAsWriteBytes() throws {
        let sampler = PluginSampler([DiskIOPlugin.self])
        let first = try #require(try sampler.sample()["diskio"])
        let path = FileManager.default.currentDirectoryPath + "/.glanced-diskio-\(getpid())"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let block = [UInt8](repeating: 0x33, count: 8 << 20)
        _ = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        let second = try #require(try sampler.sample()["diskio"])
        guard !first.items.isEmpty else { return }  // no block device at all: nothing to see
        let written = second.items.compactMap { $0["write_bytes"]?.intValue }.reduce(0, +)
        #expect(written >= 8 << 20, "write_bytes \(written)")
        for disk in second.items {
            let since = try #require(disk["time_since_update"]?.doubleValue)
            #expect(since > 0)
        }
    }
}
