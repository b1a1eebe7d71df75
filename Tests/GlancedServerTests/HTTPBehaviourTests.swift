import GlancedServer
import GlancedTestSupport
import Testing

@Suite struct HTTPBehaviourTests {
    @Test func pathsAndMethods() async throws {
        try await withServer { port throws in
            #expect(try post(port, xmlCall("init"), path: "/RPC2").status == 200)
            #expect(try post(port, xmlCall("init"), path: "/").status == 200)
            #expect(try post(port, xmlCall("init"), path: "/nope").status == 404)
            let client = try RawHTTPClient(port: port, timeout: 10)
            try client.request("GET", path: "/RPC2")
            let get = try client.readResponse()
            #expect(get.status == 405)
            #expect(get.header("Access-Control-Allow-Origin") == "*")
        }
    }

    @Test func everyReplyAllowsAnyOrigin() async throws {
        try await withServer { port throws in
            for reply in [
                try post(port, xmlCall("init")), try post(port, xmlCall("fooBar")),
                try post(port, xmlCall("init"), path: "/nope"),
            ] {
                #expect(reply.header("Access-Control-Allow-Origin") == "*")
            }
        }
    }

    @Test func keepAliveServesTwoRequestsOnOneConnection() async throws {
        try await withServer { port throws in
            let client = try RawHTTPClient(port: port, timeout: 10)
            for _ in 0..<2 {
                try client.request(body: xmlCall("init"))
                let reply = try client.readResponse()
                #expect(reply.status == 200)
                #expect(RPCResult(reply.body) == .string("2.0"))
            }
        }
    }

    @Test func anHTTP10ClientIsServedThenClosed() async throws {
        try await withServer { port throws in
            let client = try RawHTTPClient(port: port, timeout: 10)
            try client.request(version: "HTTP/1.0", body: xmlCall("init"))
            let reply = try client.readResponse()
            #expect(reply.status == 200)
            #expect(reply.header("Transfer-Encoding") == nil)
            #expect(RPCResult(reply.body) == .string("2.0"))
            #expect(client.isClosedByPeer())
        }
    }

    @Test func getAllIsGzippedOnlyWhenAsked() async throws {
        try await withServer { port throws in
            let zipped = try post(port, xmlCall("getAll"), headers: [("Accept-Encoding", "gzip")])
            #expect(zipped.header("Content-Encoding") == "gzip")
            #expect(zipped.body.starts(with: [0x1F, 0x8B]))
            let plain = try post(port, xmlCall("getAll"))
            #expect(plain.header("Content-Encoding") == nil)
            #expect(RPCResult(plain.body).string != nil)
            let small = try post(port, xmlCall("init"), headers: [("Accept-Encoding", "gzip")])
            #expect(small.header("Content-Encoding") == nil, "replies under 1,400 bytes are not compressed")
        }
    }

    @Test func oversizedBodiesGet413AndTheServerCarriesOn() async throws {
        try await withServer { port throws in
            let client = try RawHTTPClient(port: port, timeout: 10)
            try #require(client.send(Array("POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n".utf8)))
            #expect(try client.readResponse().status == 413)
            #expect(try call(port, "init") == .string("2.0"))
        }
    }

    @Test func withoutAPasswordAnAuthorizationHeaderIsIgnored() async throws {
        try await withServer { port throws in
            #expect(try call(port, "init", headers: [("Authorization", "Basic Z2xhbmNlczp4")]) == .string("2.0"))
        }
    }
}
