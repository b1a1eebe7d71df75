import GlancedXMLRPC

/// Documents exactly as Python 3.11's `xmlrpc.client.dumps` writes them (the command is above each).
enum PythonDocuments {
    /// `x.dumps((), 'init')`
    static let initCall = Array(
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>init</methodName>\n<params>\n</params>\n</methodCall>\n"
            .utf8
    )

    /// `x.dumps((), 'getAll')`
    static let getAll = Array(
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>getAll</methodName>\n<params>\n</params>\n</methodCall>\n"
            .utf8
    )

    /// `x.dumps(('getCpu',), 'system.methodHelp')`
    static let methodHelp = Array(
        ("<?xml version='1.0'?>\n<methodCall>\n<methodName>system.methodHelp</methodName>\n<params>\n<param>\n"
            + "<value><string>getCpu</string></value>\n</param>\n</params>\n</methodCall>\n").utf8
    )

    /// `x.dumps(('a&b<c>é\u20ac😀',), 'echo')`
    static let echo = Array(
        ("<?xml version='1.0'?>\n<methodCall>\n<methodName>echo</methodName>\n<params>\n<param>\n"
            + "<value><string>a&amp;b&lt;c&gt;é€😀</string></value>\n</param>\n</params>\n</methodCall>\n").utf8
    )

    /// `x.dumps(({'k': [1, {'z': 2.5}], 'e': []},), 'deep')`
    static let deep = Array(
        ("<?xml version='1.0'?>\n<methodCall>\n<methodName>deep</methodName>\n<params>\n<param>\n<value><struct>\n"
            + "<member>\n<name>k</name>\n<value><array><data>\n<value><int>1</int></value>\n<value><struct>\n"
            + "<member>\n<name>z</name>\n<value><double>2.5</double></value>\n</member>\n</struct></value>\n"
            + "</data></array></value>\n</member>\n<member>\n<name>e</name>\n<value><array><data>\n"
            + "</data></array></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodCall>\n").utf8
    )

    /// `x.dumps((1, True, 1.5, [1, "x"], {"a": 1, "b": None}, x.Binary(b"hi\x00"),
    /// x.DateTime("20240101T12:00:00")), 'm', allow_none=True)`
    static let mixed = Array(
        ("<?xml version='1.0'?>\n<methodCall>\n<methodName>m</methodName>\n<params>\n"
            + "<param>\n<value><int>1</int></value>\n</param>\n"
            + "<param>\n<value><boolean>1</boolean></value>\n</param>\n"
            + "<param>\n<value><double>1.5</double></value>\n</param>\n"
            + "<param>\n<value><array><data>\n<value><int>1</int></value>\n<value><string>x</string></value>\n"
            + "</data></array></value>\n</param>\n"
            + "<param>\n<value><struct>\n<member>\n<name>a</name>\n<value><int>1</int></value>\n</member>\n"
            + "<member>\n<name>b</name>\n<value><nil/></value></member>\n</struct></value>\n</param>\n"
            + "<param>\n<value><base64>\naGkA\n</base64></value>\n</param>\n"
            + "<param>\n<value><dateTime.iso8601>20240101T12:00:00</dateTime.iso8601></value>\n</param>\n"
            + "</params>\n</methodCall>\n").utf8
    )

    /// The values in ``mixed``.
    static let mixedParams: [XMLRPCValue] = [
        .int(1), .bool(true), .double(1.5), .array([.int(1), .string("x")]),
        .structure([XMLRPCMember(name: "a", value: .int(1)), XMLRPCMember(name: "b", value: .null)]),
        .base64([0x68, 0x69, 0x00]), .dateTime("20240101T12:00:00"),
    ]
}
