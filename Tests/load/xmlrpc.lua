-- wrk script: every request POSTs one XML-RPC call, as Python's xmlrpc.client (the Glances client) sends it.
--
--   wrk -t1 -c32 -d20s --latency -s Tests/load/xmlrpc.lua http://127.0.0.1:61209/RPC2 -- getCpu [gzip]
--
-- Arguments after `--`: the method name (default getCpu) and, optionally, `gzip` to send
-- `Accept-Encoding: gzip` as xmlrpc.client does. Arguments of the form `name:arg` call `name("arg")`
-- (e.g. getPlugin:cpu). At the end it prints one line `wrk-json {...}` with the figures the driver
-- (Tests/load/run.sh) reads: requests, req/s, latency percentiles and max in ms, and error counts.

local method = "getCpu"
local gzip = false

function init(args)
    if args[1] ~= nil and args[1] ~= "" then method = args[1] end
    gzip = args[2] == "gzip"
    local name, argument = method:match("^([^:]+):(.*)$")
    local params = ""
    if name ~= nil then
        method = name
        params = "<param>\n<value><string>" .. argument .. "</string></value>\n</param>\n"
    end
    wrk.method = "POST"
    wrk.body = "<?xml version='1.0'?>\n<methodCall>\n<methodName>" .. method .. "</methodName>\n<params>\n"
        .. params .. "</params>\n</methodCall>\n"
    wrk.headers["Content-Type"] = "text/xml"
    wrk.headers["User-Agent"] = "Python-xmlrpc/3.11"
    if gzip then wrk.headers["Accept-Encoding"] = "gzip" end
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local errors = summary.errors
    -- Latencies are in microseconds.
    io.write(string.format(
        'wrk-json {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p90_ms": %.3f, '
            .. '"p99_ms": %.3f, "p999_ms": %.3f, "max_ms": %.3f, "mean_ms": %.3f, "bytes": %d, '
            .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000, summary.bytes,
        errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
