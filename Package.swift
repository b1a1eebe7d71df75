// swift-tools-version:6.2
import PackageDescription

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The libproc2 version this build compiles against (its pkg-config file), for the `psutilversion` plugin:
/// libproc2 has no call that reports its own version at run time.
let libproc2Version: String = {
    let dirs = [
        "/usr/lib/x86_64-linux-gnu/pkgconfig", "/usr/lib/aarch64-linux-gnu/pkgconfig",
        "/usr/lib/pkgconfig", "/usr/local/lib/pkgconfig", "/usr/share/pkgconfig",
    ]
    for dir in dirs {
        guard let text = try? String(contentsOfFile: dir + "/libproc2.pc", encoding: .utf8) else { continue }
        for line in text.split(separator: "\n") where line.hasPrefix("Version:") {
            return String(line.dropFirst("Version:".count).filter { $0 != " " && $0 != "\t" })
        }
    }
    return "0"
}()

let package = Package(
    name: "glanced",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "glanced", targets: ["glanced"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C libraries, wrapped as system-library modules.
        .systemLibrary(
            name: "CProc2",
            path: "CShims/CProc2",
            pkgConfig: "libproc2",
            providers: [.apt(["libproc2-dev"])]
        ),
        .systemLibrary(
            name: "CSensors",
            path: "CShims/CSensors",
            providers: [.apt(["libsensors-dev"])]
        ),
        // Hot loops and wrappers for what Swift cannot import (function-like macros).
        .target(
            name: "CGlanced",
            dependencies: ["CProc2", "CSensors"],
            path: "CShims/CGlanced",
            cSettings: [
                .define("GLANCED_LIBPROC2_VERSION", to: "\"\(libproc2Version)\""),
                // The PBKDF2 rounds of a password check (sha256.c) take seconds unoptimised: optimised in every mode.
                .unsafeFlags(["-O2"]),
            ],
            linkerSettings: [.linkedLibrary("sensors"), .linkedLibrary("proc2")]
        ),
        // The benchmark's floor: the kernel reads of a sample in plain C, linked only into GlancedBench.
        .target(name: "CGlancedFloor", path: "CShims/CGlancedFloor"),
        // zlib's deflateInit2 is a macro: a three-function shim for gzip.
        .target(
            name: "CGzip",
            path: "CShims/CGzip",
            linkerSettings: [.linkedLibrary("z")]
        ),

        // A value behind a pthread mutex; no dependencies.
        .target(name: "GlancedSync"),
        // gzip over zlib: what replies and per-sample renderings are compressed with.
        .target(name: "GlancedCompression", dependencies: ["CGzip"]),
        // Kernel and C-library sources turned into Swift values.
        .target(
            name: "GlancedSystem",
            dependencies: [
                "CGlanced", "CProc2", "CSensors", "GlancedSync", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Plugins and their typed stats, the sample, its renderings and the shared refresh.
        .target(
            name: "GlancedStats",
            dependencies: [
                "GlancedSystem", "GlancedSync", "GlancedCompression", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Prometheus' text exposition of a sample (/metrics); no NIO, no Foundation.
        .target(name: "GlancedPrometheus", dependencies: ["GlancedStats", "GlancedSystem"]),
        // XML-RPC codec: bytes in, bytes out; no dependencies.
        .target(name: "GlancedXMLRPC"),
        // HTTP/1 server on SwiftNIO; knows nothing of stats or XML.
        .target(
            name: "GlancedHTTP",
            dependencies: [
                "GlancedCompression",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The web dashboard: its files built in (Web/, embedded by Tools/embed-web.sh) and their responder.
        .target(name: "GlancedWeb", dependencies: ["GlancedHTTP", "GlancedCompression"]),
        // The Glances method table, configuration and authentication: where the layers meet.
        .target(
            name: "GlancedServer",
            dependencies: [
                "CGlanced", "GlancedStats", "GlancedSystem", "GlancedXMLRPC", "GlancedHTTP", "GlancedSync",
                "GlancedCompression",
                "GlancedPrometheus", "GlancedWeb", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "glanced",
            dependencies: [
                "CGlanced",
                "GlancedServer",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "GlancedBench",
            dependencies: [
                "GlancedServer", "GlancedStats", "GlancedSystem", "GlancedXMLRPC", "GlancedHTTP", "GlancedCompression",
                "CGlanced", "CGlancedFloor",
            ]
        ),

        // What several test targets share: a JSON reader that tells 5 from 5.0, /proc readers, a raw HTTP client,
        // the fuzz seed corpora.
        .target(name: "GlancedTestSupport", path: "Tests/GlancedTestSupport"),
        .testTarget(name: "GlancedSystemTests", dependencies: ["GlancedSystem", "GlancedSync", "GlancedTestSupport"]),
        .testTarget(
            name: "GlancedStatsTests",
            dependencies: [
                "GlancedStats", "GlancedSystem", "GlancedSync", "GlancedTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "GlancedPrometheusTests",
            dependencies: ["GlancedPrometheus", "GlancedStats", "GlancedSystem", "GlancedTestSupport"]
        ),
        .testTarget(name: "GlancedXMLRPCTests", dependencies: ["GlancedXMLRPC", "GlancedTestSupport"]),
        .testTarget(
            name: "GlancedHTTPTests",
            dependencies: [
                "GlancedHTTP", "GlancedCompression", "GlancedTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .testTarget(
            name: "GlancedWebTests",
            dependencies: [
                "GlancedWeb", "GlancedHTTP", "GlancedCompression", "GlancedTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "GlancedServerTests",
            dependencies: [
                "GlancedServer", "GlancedStats", "GlancedSystem", "GlancedXMLRPC", "GlancedHTTP", "GlancedSync",
                "GlancedCompression", "GlancedTestSupport",
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var swift = target.swiftSettings ?? []
    swift.append(.enableUpcomingFeature("ExistentialAny"))
    swift.append(.enableUpcomingFeature("MemberImportVisibility"))
    swift.append(.enableUpcomingFeature("InternalImportsByDefault"))
    swift.append(.treatAllWarnings(as: .error))
    target.swiftSettings = swift
    if target.name.hasPrefix("C") {
        var c = target.cSettings ?? []
        c.append(.enableWarning("all"))
        c.append(.enableWarning("extra"))
        c.append(.treatAllWarnings(as: .error))
        target.cSettings = c
    }
}

// libFuzzer targets (Tests/Fuzz), only with GLANCED_FUZZ set: each `main.swift` hands its test to libFuzzer's
// driver, which only a `-sanitize=fuzzer` link provides, so a normal build could not link them. `.ci/robustness`
// builds and runs them: GLANCED_FUZZ=1 swift build -Xswiftc -sanitize=fuzzer,address --product FuzzXMLRPC
if Context.environment["GLANCED_FUZZ"] != nil {
    func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
        .executableTarget(
            name: name,
            dependencies: ["CFuzzDriver"] + dependencies,
            path: "Tests/Fuzz/\(name)",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .treatAllWarnings(as: .error),
            ]
        )
    }
    package.targets += [
        .target(name: "CFuzzDriver", path: "Tests/Fuzz/CFuzzDriver"),
        // What the renderer targets share: the input reader and typed stats of every plugin built from it.
        .target(
            name: "FuzzSupport", dependencies: ["GlancedStats", "GlancedSystem"], path: "Tests/Fuzz/FuzzSupport",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .treatAllWarnings(as: .error),
            ]),
        fuzzTarget("FuzzXMLRPC", ["GlancedXMLRPC"]),
        fuzzTarget(
            "FuzzRequest",
            [
                "GlancedServer", "GlancedHTTP", "GlancedStats", "GlancedXMLRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        fuzzTarget("FuzzConfig", ["GlancedServer", "GlancedStats"]),
        fuzzTarget("FuzzHddtemp", ["GlancedSystem"]),
        fuzzTarget(
            "FuzzRoutes", ["GlancedServer", "GlancedHTTP", "GlancedStats", "GlancedSystem", "GlancedXMLRPC"]),
        fuzzTarget("FuzzJSONNode", ["GlancedStats"]),
        fuzzTarget("FuzzGlances2JSON", ["FuzzSupport", "GlancedServer", "GlancedStats", "GlancedSystem"]),
        fuzzTarget("FuzzPrometheus", ["FuzzSupport", "GlancedPrometheus", "GlancedStats", "GlancedSystem"]),
    ]
    // The renderer targets build typed stats whose types have no `package` initializer (a plugin makes them from
    // what it reads: PrometheusPlugin.Group, .TopName, .Textfile, NodePlugin.Collector): they reach the memberwise
    // ones with `@testable import`, which a release build allows only with testing enabled.
    for target in package.targets where target.name == "GlancedStats" {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-enable-testing"])]
    }
    package.products += package.targets.filter { $0.name.hasPrefix("Fuzz") && $0.type == .executable }.map {
        .executable(name: $0.name, targets: [$0.name])
    }
}
