-- wrk: POST the same 1,500-component inventory as a new asset each time (a unique asset name
-- and idempotency key per request), to measure sustained ingestion.
-- Environment: TOKEN, TENANT, BODY (the inventory file), FORMAT.
local token = os.getenv("TOKEN")
local tenant = os.getenv("TENANT")
local format = os.getenv("FORMAT")
local file = assert(io.open(os.getenv("BODY"), "rb"))
local body = file:read("*a")
file:close()
-- Globals, not locals: setup() runs in the main state and sets them in each thread's state.
counter = 0
bad = 0
thread_id = 0
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

request = function()
  counter = counter + 1
  local key = string.format("bench-%d-%d-%d", os.time(), thread_id, counter)
  return wrk.format("POST",
    string.format("/api/v1/tenants/%s/uploads?asset=%s&format=%s", tenant, key, format),
    { ["Authorization"] = "Bearer " .. token, ["Idempotency-Key"] = key,
      ["Content-Type"] = "application/octet-stream" },
    body)
end

response = function(status, headers, b)
  if status ~= 202 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("HTTP " .. status .. ": " .. b:sub(1, 200) .. "\n") end
  end
end

done = function(summary, latency, requests)
  local refused = 0
  for _, thread in ipairs(threads) do refused = refused + thread:get("bad") end
  io.write(string.format("accepted: %d\n", summary.requests - refused))
end
