package import GlancedStats
package import GlancedXMLRPC

/// The Glances method table of one API generation: which XML-RPC method answers what (API.md §2 for 2.x).
///
/// Every stats method answers one XML-RPC string holding JSON; `init` answers the protocol version of the
/// generation (`2.0`, `3.3.1`, `4.5.8`), `getAllPlugins` and `getAll` that generation's plugins and shapes.
/// Every generation also answers the browser methods of every Glances browser: `getCpu`, `getMem`, `getSystem`,
/// `getLoad` (2.x, 3.x) and `getPlugin(name)`, `getPluginView(name)` (4.x; always in the 4.x shapes).
/// Unknown methods and unexpected arguments are faults that change nothing.
package struct GlancesMethods: Sendable {
    /// What a call resolves to before any sample is needed.
    package enum Route: Sendable, Equatable {
        /// A reply that never changes while the server runs (init, getAllPlugins, getAllLimits, introspection).
        case constant([UInt8])
        /// The `getAll` object of the current sample.
        case all
        /// One plugin's JSON from the current sample, by wire name, in the table's generation.
        case plugin(String)
        /// One plugin's 4.x JSON (`getPlugin(name)` of the 4.x browser).
        case browserPlugin(String)
        /// One plugin's views (`getPluginView(name)`), decorated from `limits`, its configuration section.
        case view(String, limits: ConfigSection)
        /// A fault reply.
        case fault(code: Int, message: String)
    }

    /// The version `init` answers for 2.x: 2.0–2.2 clients compare its first three characters, 2.3+ its major
    /// number.
    package static let protocolVersion = "2.0"

    /// The version `init` answers for `generation`: 3.x and 4.x clients compare only the major number.
    package static func protocolVersion(of generation: GlancesGeneration) -> String {
        switch generation {
        case .v2: return protocolVersion
        case .v3: return "3.3.1"
        case .v4: return "4.5.8"
        }
    }

    /// The browser methods of 4.x, which take one argument, the plugin name.
    package static let browserMethods = ["getPlugin", "getPluginView"]

    /// The API generation this table speaks.
    package let generation: GlancesGeneration
    /// The methods every server has, besides one `get<Plugin>` per plugin.
    package static let fixedMethods = ["getAll", "getAllLimits", "getAllMonitored", "getAllPlugins", "init"]
    /// The introspection methods Python's XML-RPC server registers.
    package static let introspectionMethods = ["system.listMethods", "system.methodHelp", "system.methodSignature"]

    private let names: [String]
    private let pluginIndex: [String: Int]
    private let browserNames: Set<String>
    private let config: GlancesConfig
    private let initReply: [UInt8]
    private let pluginsReply: [UInt8]
    private let limitsReply: [UInt8]
    private let listMethodsReply: [UInt8]

    /// Builds the table of `generation` for `plugins` (that generation's plugins, wire order) with the limits of
    /// `config`.
    ///
    /// - Parameters:
    ///   - names: The plugins `getAllPlugins` lists and `get<Plugin>` answers, in wire order.
    ///   - config: The configuration: limits and view decorations.
    ///   - generation: The API generation.
    ///   - browserPlugins: The plugins `getPlugin(name)` and `getPluginView(name)` answer (the 4.x plugins).
    package init(
        plugins names: [String], config: GlancesConfig, generation: GlancesGeneration = .v2,
        browserPlugins: [String] = []
    ) {
        self.names = names
        self.generation = generation
        self.config = config
        browserNames = Set(browserPlugins)
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() { index[name] = position }
        pluginIndex = index

        initReply = XMLRPCResponse.string(Self.protocolVersion(of: generation))
        var plugins = JSONWriter()
        plugins.array { json in
            for name in names { json.value(name) }
        }
        pluginsReply = XMLRPCResponse.string(plugins.bytes)
        var limits = JSONWriter()
        if generation == .v2 {
            limits.array { json in
                for name in names { config.writeLimits(of: name, into: &json) }
            }
        } else {
            // 2.3+ answer an object by plugin name.
            limits.object { json in
                for name in names {
                    json.key(name)
                    config.writeLimits(of: name, into: &json)
                }
            }
        }
        limitsReply = XMLRPCResponse.string(limits.bytes)
        let methods = Self.methodNames(plugins: names, browser: generation != .v2)
        listMethodsReply = XMLRPCResponse.value(.array(methods.map { .string($0) }))
    }

    /// Every method name, as `system.listMethods` lists them (with `browser`, `getPlugin` and `getPluginView`
    /// too; the 2.x list stays the seed's).
    package static func methodNames(plugins: [String], browser: Bool = false) -> [String] {
        let getters = plugins.map { name in "get" + name.prefix(1).uppercased() + name.dropFirst() }
        let fixed = browser ? fixedMethods.filter { $0 != "getAllMonitored" } : fixedMethods
        return (fixed + getters + (browser ? browserMethods : [])).sorted() + introspectionMethods
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
        case "getPlugin", "getPluginView":
            guard call.params.count == 1, case .string(let name) = call.params[0] else {
                return .fault(code: 1, message: "method \"\(method)\" takes one string argument, a plugin name")
            }
            guard browserNames.contains(name) else {
                return .fault(code: 1, message: "method \"\(method)\": unknown plugin \"\(name)\"")
            }
            return method == "getPlugin" ? .browserPlugin(name) : .view(name, limits: config.section(name))
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
        case "init": return "The protocol version, \(Self.protocolVersion(of: generation))."
        case "getAll":
            return generation == .v2
                ? "Every plugin's stats but monitor, as one JSON object." : "Every plugin's stats, as one JSON object."
        case "getPlugin": return "The stats of the plugin named by the argument, as 4.x JSON."
        case "getPluginView": return "The views of the plugin named by the argument, as JSON."
        case "getAllPlugins": return "The plugin names, as a JSON array."
        case "getAllLimits":
            return generation == .v2
                ? "Each plugin's limits, as a JSON array aligned with getAllPlugins."
                : "Each plugin's limits, as a JSON object by plugin name."
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
