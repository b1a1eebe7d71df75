import GlancedStats
package import GlancedXMLRPC

/// The Glances v2 method table: which XML-RPC method answers what (API.md §2).
///
/// Every stats method answers one XML-RPC string holding JSON; `init` answers the protocol version.
/// Unknown methods and unexpected arguments are faults that change nothing.
package struct GlancesMethods: Sendable {
    /// What a call resolves to before any sample is needed.
    package enum Route: Sendable, Equatable {
        /// A reply that never changes while the server runs (init, getAllPlugins, getAllLimits, introspection).
        case constant([UInt8])
        /// The `getAll` object of the current sample.
        case all
        /// One plugin's JSON from the current sample, by wire name.
        case plugin(String)
        /// A fault reply.
        case fault(code: Int, message: String)
    }

    /// The version `init` answers: 2.0–2.2 clients compare its first three characters, 2.3+ its major number.
    package static let protocolVersion = "2.0"
    /// The methods every server has, besides one `get<Plugin>` per plugin.
    package static let fixedMethods = ["getAll", "getAllLimits", "getAllMonitored", "getAllPlugins", "init"]
    /// The introspection methods Python's XML-RPC server registers.
    package static let introspectionMethods = ["system.listMethods", "system.methodHelp", "system.methodSignature"]

    private let names: [String]
    private let pluginIndex: [String: Int]
    private let initReply: [UInt8]
    private let pluginsReply: [UInt8]
    private let limitsReply: [UInt8]
    private let listMethodsReply: [UInt8]

    /// Builds the table for `plugins` (wire order) with the limits of `config`.
    package init(plugins names: [String], config: GlancesConfig) {
        self.names = names
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() { index[name] = position }
        pluginIndex = index

        initReply = XMLRPCResponse.string(Self.protocolVersion)
        var plugins = JSONWriter()
        plugins.array { json in
            for name in names { json.value(name) }
        }
        pluginsReply = XMLRPCResponse.string(plugins.bytes)
        var limits = JSONWriter()
        limits.array { json in
            for name in names { config.writeLimits(of: name, into: &json) }
        }
        limitsReply = XMLRPCResponse.string(limits.bytes)
        listMethodsReply = XMLRPCResponse.value(.array(Self.methodNames(plugins: names).map { .string($0) }))
    }

    /// Every method name, as `system.listMethods` lists them.
    package static func methodNames(plugins: [String]) -> [String] {
        let getters = plugins.map { name in "get" + name.prefix(1).uppercased() + name.dropFirst() }
        return (fixedMethods + getters).sorted() + introspectionMethods
    }

    /// Resolves a parsed call.
    package func route(_ call: XMLRPCMethodCall) -> Route {
        let method = call.methodName
        switch method {
        case "system.listMethods":
            return call.params.isEmpty ? .constant(listMethodsReply) : Self.arguments(method)
        case "system.methodHelp", "system.methodSignature":
            guard call.params.count == 1, case .string(let name) = call.params[0] else {
                return .fault(code: 1, message: "method \"\(method)\" takes one string argument")
            }
            let text = method == "system.methodSignature" ? "signatures not supported" : help(for: name)
            return .constant(XMLRPCResponse.string(text))
        default:
            break
        }
        guard let route = zeroArgumentRoute(method) else {
            return .fault(code: 1, message: "method \"\(method)\" is not supported")
        }
        return call.params.isEmpty ? route : Self.arguments(method)
    }

    private func zeroArgumentRoute(_ method: String) -> Route? {
        switch method {
        case "init": return .constant(initReply)
        case "getAll": return .all
        case "getAllPlugins": return .constant(pluginsReply)
        case "getAllLimits": return .constant(limitsReply)
        case "getAllMonitored": return pluginIndex["monitor"].map { _ in .plugin("monitor") }
        default:
            let name = method.dropFirst(3).lowercased()
            guard method.hasPrefix("get"), pluginIndex[name] != nil else { return nil }
            return .plugin(name)
        }
    }

    private func help(for method: String) -> String {
        switch method {
        case "init": return "The protocol version, \(Self.protocolVersion)."
        case "getAll": return "Every plugin's stats but monitor, as one JSON object."
        case "getAllPlugins": return "The plugin names, as a JSON array."
        case "getAllLimits": return "Each plugin's limits, as a JSON array aligned with getAllPlugins."
        case "getAllMonitored": return "The monitored process list, as JSON."
        default:
            if method.hasPrefix("get"), pluginIndex[method.dropFirst(3).lowercased()] != nil {
                return "The \(method.dropFirst(3).lowercased()) plugin's stats, as JSON."
            }
            return ""
        }
    }

    private static func arguments(_ method: String) -> Route {
        .fault(code: 1, message: "method \"\(method)\" takes no arguments")
    }
}
