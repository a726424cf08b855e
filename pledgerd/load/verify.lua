-- wrk script: GET /v1/pledges/{number} for the numbers in numbers.txt in turn, with the
-- token in token.txt (pledgerd/load/run.sh writes both); prints p50/p99/max and the errors.
local numbers = {}
for line in io.lines("numbers.txt") do numbers[#numbers + 1] = line end
local token = io.open("token.txt"):read("*l")
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/v1/pledges/" .. numbers[(i % #numbers) + 1], { ["Authorization"] = "Bearer " .. token })
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms; errors: connect %d read %d write %d status %d timeout %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
