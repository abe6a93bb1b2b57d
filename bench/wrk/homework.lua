-- wrk script for bench/homework_peak.py: rotates bearer tokens, students (or classes) and dates from a generated file.
--
--   wrk -t2 -c64 -d30s -s bench/wrk/homework.lua http://127.0.0.1:8765 -- MODE FILE DATES THREADS
--
-- MODE     single   POST /api/v1/homework/feedback as the student's guardian (bearer token)
--          baseline POST /bench/feedback, the bare one-INSERT endpoint of bench/bench_urls.py (no token)
--          batch    POST /api/v1/homework/classes/{id}/feedback as the class's head teacher (bearer token)
-- FILE     single/baseline: token, student id, school id, class id, guardian user id, minutes (tab-separated)
--          batch: token, class id, the entries as JSON, the number of entries (tab-separated)
-- DATES    comma-separated YYYY-MM-DD. Each wrk thread takes every THREADS-th line of FILE, so no two threads send
--          the same line; when a thread has used all its lines it moves on to the next date. Every request is
--          thus a new (student, date) or (class, date): no duplicate is ever sent. When the dates run out the
--          script sends an invalid date, which shows up as non-2xx responses instead of silently repeating.
-- THREADS  the -t value.
-- done() prints one line "BENCH_JSON {...}" that the Python script parses.

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("thread_index", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local function split(text, separator)
   local parts = {}
   for part in string.gmatch(text, "([^" .. separator .. "]+)") do
      parts[#parts + 1] = part
   end
   return parts
end

function init(args)
   mode = args[1]
   dates = split(args[3], ",")
   local thread_total = tonumber(args[4])
   rows = {}
   local n = 0
   for line in io.lines(args[2]) do
      if n % thread_total == thread_index then
         rows[#rows + 1] = split(line, "\t")
      end
      n = n + 1
   end
   position = 0
   date_index = 1
   sent = 0
   rows_sent = 0
end

function request()
   position = position + 1
   if position > #rows then
      position = 1
      date_index = date_index + 1
   end
   local day = dates[date_index] or "dates-exhausted"
   local row = rows[position]
   sent = sent + 1
   rows_sent = rows_sent + (mode == "batch" and tonumber(row[4]) or 1)
   if mode == "single" then
      return wrk.format("POST", "/api/v1/homework/feedback",
         { ["Authorization"] = "Bearer " .. row[1], ["Content-Type"] = "application/json" },
         '{"student_id":' .. row[2] .. ',"date":"' .. day .. '","reported_minutes":' .. row[6]
            .. ',"unfinished_at_bedtime":false}')
   elseif mode == "baseline" then
      return wrk.format("POST", "/bench/feedback", { ["Content-Type"] = "application/json" },
         '{"student_id":' .. row[2] .. ',"school_id":' .. row[3] .. ',"school_class_id":' .. row[4]
            .. ',"reported_by_id":' .. row[5] .. ',"date":"' .. day .. '","reported_minutes":' .. row[6] .. '}')
   else
      return wrk.format("POST", "/api/v1/homework/classes/" .. row[2] .. "/feedback",
         { ["Authorization"] = "Bearer " .. row[1], ["Content-Type"] = "application/json" },
         '{"date":"' .. day .. '","entries":' .. row[3] .. '}')
   end
end

function done(summary, latency, requests)
   local dates_used, all_sent, all_rows = 0, 0, 0
   for _, thread in ipairs(threads) do
      local used = thread:get("date_index")
      if used > dates_used then
         dates_used = used
      end
      all_sent = all_sent + thread:get("sent")
      all_rows = all_rows + thread:get("rows_sent")
   end
   -- rows per request, over the requests sent (batch); the completed count times this is the rows written.
   local rows_per_request = all_sent > 0 and all_rows / all_sent or 0
   local errors = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests":%d,"duration_us":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,'
         .. '"errors_status":%d,"errors_timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,'
         .. '"mean_us":%.1f,"dates_used":%d,"rows_per_request":%.3f}\n',
      summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean, dates_used, rows_per_request))
end
