import GlancedServer
import GlancedTestSupport
import Logging

/// A real glanced server on `127.0.0.1:0` with the default configuration, always shut down after `body`.
func withServer<T>(_ body: (Int) async throws -> T) async throws -> T {
    try await withServer(configuredBy: { _ in }, body)
}

/// A real glanced server on `127.0.0.1:0`, configured by `configure`, always shut down after `body`.
func withServer<T>(
    configuredBy configure: (inout ServerConfiguration) -> Void,
    _ body: (Int) async throws -> T
) async throws -> T {
    var configuration = ServerConfiguration()
    configuration.host = "127.0.0.1"
    configuration.port = 0
    configure(&configuration)
    let service = GlancedService(configuration: configuration, logger: Logger(label: "test"))
    let port = try await service.start()
    do {
        let result = try await body(port)
        await service.shutdown()
        return result
    } catch {
        await service.shutdown()
        throw error
    }
}

/// An XML-RPC call body as Python's `xmlrpc.client.dumps` writes it.
func xmlCall(_ method: String, _ stringParams: [String] = []) -> [UInt8] {
    var text = "<?xml version='1.0'?>\n<methodCall>\n<methodName>\(method)</methodName>\n<params>\n"
    for param in stringParams { text += "<param>\n<value><string>\(param)</string></value>\n</param>\n" }
    text += "</params>\n</methodCall>\n"
    return Array(text.utf8)
}

/// What an XML-RPC reply holds, read loosely (enough for tests).
enum RPCResult: Equatable {
    case string(String)
    case fault(code: Int, message: String)
    case other(String)

    init(_ body: [UInt8]) {
        let text = String(decoding: body, as: UTF8.self)
        if text.contains("<fault>") {
            let code =
                text.firstMatch(of: /<name>faultCode<\/name>\s*<value><int>(-?\d+)<\/int>/).flatMap { Int($0.1) } ?? 0
            let message =
                text.firstMatch(of: /<name>faultString<\/name>\s*<value><string>([^<]*)<\/string>/).map { String($0.1) }
                ?? ""
            self = .fault(code: code, message: RPCResult.unescape(message))
        } else if let match = text.firstMatch(of: /<params>\s*<param>\s*<value><string>([^<]*)<\/string><\/value>/) {
            self = .string(RPCResult.unescape(String(match.1)))
        } else {
            self = .other(text)
        }
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    func json() throws -> JSONValue {
        try JSONValue.parse(string ?? "not a string reply")
    }

    static func unescape(_ text: String) -> String {
        text.replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&amp;", with: "&")
    }
}

/// One POST on a new connection.
func post(_ port: Int, _ body: [UInt8], path: String = "/RPC2", headers: [(String, String)] = []) throws -> RawResponse
{
    let client = try RawHTTPClient(port: port, timeout: 10)
    try client.request(path: path, headers: headers + [("Content-Type", "text/xml")], body: body)
    return try client.readResponse()
}

/// Calls `method` and reads the reply.
func call(_ port: Int, _ method: String, _ params: [String] = [], headers: [(String, String)] = []) throws -> RPCResult
{
    RPCResult(try post(port, xmlCall(method, params), headers: headers).body)
}
