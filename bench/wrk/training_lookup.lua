-- wrk script for bench/training_lookup.py: rotates the public lookup's request paths from a generated file.
--
--   wrk -t2 -c64 -d10s -s bench/wrk/training_lookup.lua http://127.0.0.1:8766 -- FILE THREADS
--
-- FILE     one request path per line (/api/v1/training/lookup?q=... or /training/lookup/?q=...)
-- THREADS  the -t value: each thread starts at its own offset and walks the file, wrapping around.
-- done() prints one line "BENCH_JSON {...}" that the Python script parses.

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("thread_index", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      paths[#paths + 1] = line
   end
   local thread_total = tonumber(args[2])
   position = math.floor(#paths * thread_index / thread_total)
end

function request()
   position = position % #paths + 1
   return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests":%d,"duration_us":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,'
         .. '"errors_status":%d,"errors_timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
      summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
