-- wrk script: every output of the port in turn, as their clients ask for them: XML-RPC (getAll and getCpu,
-- gzip as xmlrpc.client asks), REST of the three generations, /metrics (gzip and not, as Prometheus and curl
-- ask) and the web page with its script.
--
--   wrk -t1 -c8 -d5s -s Tests/load/mixed.lua http://127.0.0.1:61209/
--
-- At the end it prints one `wrk-json {...}` line, as xmlrpc.lua does.

local requests = {}
local next_request = 1

local function xmlrpc(method)
    local body = "<?xml version='1.0'?>\n<methodCall>\n<methodName>" .. method .. "</methodName>\n<params>\n"
        .. "</params>\n</methodCall>\n"
    return wrk.format("POST", "/RPC2", {
        ["Content-Type"] = "text/xml", ["User-Agent"] = "Python-xmlrpc/3.11", ["Accept-Encoding"] = "gzip",
    }, body)
end

local function get(path, gzip)
    local headers = {}
    if gzip then headers["Accept-Encoding"] = "gzip" end
    return wrk.format("GET", path, headers)
end

function init(args)
    requests = {
        xmlrpc("getAll"), xmlrpc("getCpu"), xmlrpc("getProcessList"),
        get("/api/4/all", true), get("/api/4/cpu", true), get("/api/4/processlist", true),
        get("/api/3/all", true), get("/api/3/mem", false), get("/api/2/all", true), get("/api/2/fs", false),
        get("/metrics", true), get("/metrics", false), get("/", true), get("/static/app.js", true),
    }
end

function request()
    local r = requests[next_request]
    next_request = next_request % #requests + 1
    return r
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local errors = summary.errors
    io.write(string.format(
        'wrk-json {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p90_ms": %.3f, '
            .. '"p99_ms": %.3f, "p999_ms": %.3f, "max_ms": %.3f, "mean_ms": %.3f, "bytes": %d, '
            .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000, summary.bytes,
        errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
