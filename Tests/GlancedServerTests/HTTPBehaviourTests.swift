import GlancedCompression
import GlancedServer
import GlancedTestSupport
import Logging
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

/// Repeated requests are answered from recorded replies (``ReplayCache``) only while the sample they were made
/// from is current: a poller asking the same bytes on one connection sees every new sample.
@Suite struct ReplayedRepliesFollowTheSamples {
    @Test func aPollerSeesTheUptimeAdvance() async throws {
        try await withServer(configuredBy: { $0.refreshInterval = 0.5 }) { port in
            let rest = try RawHTTPClient(port: port, timeout: 10)
            let rpc = try RawHTTPClient(port: port, timeout: 10)
            let get = rawHead("GET /api/4/uptime HTTP/1.1", ["Host: 127.0.0.1"])
            let post = rawPost(xmlCall("getUptime"))
            var restSeen: [String] = []
            var rpcSeen: [String] = []
            let clock = ContinuousClock()
            let end = clock.now + .milliseconds(3_600)
            while clock.now < end {
                #expect(rest.send(get))
                let restReply = try rest.readResponse()
                #expect(restReply.status == 200)
                if restSeen.last != restReply.text { restSeen.append(restReply.text) }
                #expect(rpc.send(post))
                let rpcReply = try rpc.readResponse()
                #expect(rpcReply.status == 200)
                if rpcSeen.last != rpcReply.text { rpcSeen.append(rpcReply.text) }
                try await Task.sleep(for: .milliseconds(50))
            }
            // Uptime has a resolution of one second: at least three values over 3.6 s, each seen once.
            #expect(restSeen.count >= 3, "\(restSeen)")
            #expect(Set(restSeen).count == restSeen.count)
            #expect(rpcSeen.count >= 3, "\(rpcSeen)")
            #expect(Set(rpcSeen).count == rpcSeen.count)
        }
    }

    /// `getAllLimits` and `getAllPlugins` come from the method table, not the sample: replayed across samples, and
    /// no longer once a reload replaces the table.
    @Test func aReloadEndsTheReplayOfTheLimits() async throws {
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.refreshInterval = 0.2
        let service = GlancedService(configuration: configuration, logger: Logger(label: "test"))
        let port = try await service.start()
        do {
            let client = try RawHTTPClient(port: port, timeout: 10)
            let post = rawPost(xmlCall("getAllLimits"), fields: ["Accept-Encoding: gzip"])
            func limits() throws -> String {
                #expect(client.send(post))
                let reply = try client.readResponse()
                #expect(reply.status == 200)
                let body = reply.header("Content-Encoding") == "gzip" ? Gzip.decompress(reply.body) : reply.body
                return String(decoding: try #require(body), as: UTF8.self)
            }
            let before = try limits()
            #expect(before.contains("cpu_user_careful\": 50.0"), "\(before.prefix(300))")
            for _ in 0..<5 {
                try await Task.sleep(for: .milliseconds(100))
                #expect(try limits() == before)
            }
            service.reload(try GlancesConfig.parse("[cpu]\nuser_careful = 11\n", path: "test.conf"))
            let after = try limits()
            #expect(after.contains("cpu_user_careful\": 11.0"), "\(after.prefix(300))")
        } catch {
            Issue.record(error)
        }
        await service.shutdown()
    }
}

/// Large replies are kept gzipped only: a client without gzip still gets the whole body, the same as the gzip form.
@Suite struct LargeRepliesWithAndWithoutGzip {
    @Test func theProcessListReadsTheSameBothWays() async throws {
        // Enough processes for a process list over the limit of what is kept uncompressed.
        let children = try (0..<150).map { _ in try TestChild(["/bin/sleep", "60"]) }
        defer { for child in children { child.stop() } }
        try await withServer(configuredBy: { $0.refreshInterval = 60 }) { port in
            let client = try RawHTTPClient(port: port, timeout: 10)
            let path = "/api/4/processlist"
            let gzip = rawHead("GET \(path) HTTP/1.1", ["Host: 127.0.0.1", "Accept-Encoding: gzip"])
            let plain = rawHead("GET \(path) HTTP/1.1", ["Host: 127.0.0.1"])
            var bodies: [[UInt8]] = []
            for request in [gzip, gzip, plain, gzip, plain] {
                #expect(client.send(request))
                let reply = try client.readResponse()
                #expect(reply.status == 200)
                let gzipped = reply.header("Content-Encoding") == "gzip"
                #expect(gzipped == (request == gzip))
                bodies.append(gzipped ? try #require(Gzip.decompress(reply.body)) : reply.body)
            }
            #expect(bodies[0].count > 64 * 1024, "a list long enough to be kept gzipped only: \(bodies[0].count)")
            #expect(Set(bodies).count == 1, "one sample, the same bytes whichever way they were sent")
        }
    }
}
