import GlancedServer
import GlancedStats

/// The fuzz test (libFuzzer's `LLVMFuzzerTestOneInput`):
/// `GlancesConfig.parse` over arbitrary text (a glances.conf an operator may write).
///
/// Besides not crashing or hanging, an error names a line of the file, and an accepted file renders the
/// limits of every section without trouble (that is what `getAllLimits` serves).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        let config = try GlancesConfig.parse(text, path: "fuzz.conf")
        // What getAllLimits serves, for the real plugins and for every section of the file. Plugins are not
        // built: a fuzzed [monitor] section must never run its commands.
        _ = GlancesMethods(plugins: PluginRegistry.names, config: config)
        var json = JSONWriter()
        json.array { json in
            for name in config.sections.keys.sorted() { config.writeLimits(of: name, into: &json) }
        }
        precondition(json.bytes.count >= 2)
    } catch {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        precondition((1...max(lines, 1)).contains(error.line), "error on no line of the file: \(error)")
    }
    return 0
}
