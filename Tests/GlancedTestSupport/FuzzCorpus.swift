package import Glibc

/// The fuzz targets' seed corpora (`Tests/Fuzz/corpus/<target>`), for the tests that replay them: a crash a
/// fuzzer finds is minimized into its target's folder and stays a regression test.
package enum FuzzCorpus {
    /// The corpus folder of the fuzz target `target`.
    package static func folder(_ target: String) -> String {
        // #filePath is …/Tests/GlancedTestSupport/FuzzCorpus.swift
        var path = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        path.removeLast(2)
        return path.joined(separator: "/") + "/Fuzz/corpus/" + target
    }

    /// The names of the inputs in `target`'s corpus (hidden files left out), sorted; none when it has no folder.
    package static func names(_ target: String) -> [String] {
        guard let directory = opendir(folder(target)) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = direntName(entry)
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    /// The paths of the inputs in `target`'s corpus, sorted.
    package static func files(_ target: String) -> [String] {
        names(target).map { folder(target) + "/" + $0 }
    }

    /// The bytes of the file at `path`; empty when it cannot be read.
    package static func read(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while case let got = Glibc.read(fd, &chunk, chunk.count), got > 0 { bytes += chunk[0..<got] }
        return bytes
    }
}

/// The name in a `readdir` entry, read up to its NUL: glibc allocates only as much of `d_name` as the name
/// needs, so copying the whole 256-byte field would read past the entry (AddressSanitizer reports it).
package func direntName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
    return String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
}
