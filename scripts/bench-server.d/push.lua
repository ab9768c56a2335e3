-- wrk: POST the same 1,500-component inventory as a new asset each time (a unique asset name
-- and idempotency key per request), to measure sustained ingestion.
-- Environment: TOKEN, TENANT, BODY (the inventory file), FORMAT.
local token = os.getenv("TOKEN")
local tenant = os.getenv("TENANT")
local format = os.getenv("FORMAT")
local file = assert(io.open(os.getenv("BODY"), "rb"))
local body = file:read("*a")
file:close()
local counter = 0
local thread_id = 0
local bad = 0

setup = function(thread)
  thread_id = thread_id + 1
  thread:set("thread_id", thread_id)
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
