-- wrk: GET a tenant-scoped path for a random tenant of the generated portfolio (load-0001…).
-- Environment: TOKEN, TENANTS, BENCH_PATH (a format string with one %s for the tenant).
local token = os.getenv("TOKEN")
local tenants = tonumber(os.getenv("TENANTS"))
local path = os.getenv("BENCH_PATH")
local bad = 0

math.randomseed(os.time())

request = function()
  local tenant = string.format("load-%04d", math.random(1, tenants))
  return wrk.format("GET", string.format(path, tenant), { ["Authorization"] = "Bearer " .. token })
end

response = function(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("HTTP " .. status .. ": " .. body:sub(1, 200) .. "\n") end
  end
end

done = function(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\n", bad + summary.errors.status))
end
