-- wrk script of bench/api-load.sh: the nearest places to a random point
-- of metropolitan France offering one of the national schema's services
-- (and, one request in four, free of charge).
--   wrk -t2 -c64 -d30s -s bench/api-lieux.lua http://127.0.0.1:8090

local services = {
  "Aide%20aux%20d%C3%A9marches%20administratives",
  "Ma%C3%AEtrise%20des%20outils%20num%C3%A9riques%20du%20quotidien",
  "Insertion%20professionnelle%20via%20le%20num%C3%A9rique",
  "Utilisation%20s%C3%A9curis%C3%A9e%20du%20num%C3%A9rique",
  "Parentalit%C3%A9%20et%20%C3%A9ducation%20avec%20le%20num%C3%A9rique",
  "Loisirs%20et%20cr%C3%A9ations%20num%C3%A9riques",
  "Compr%C3%A9hension%20du%20monde%20num%C3%A9rique",
  "Acc%C3%A8s%20internet%20et%20mat%C3%A9riel%20informatique",
  "Acquisition%20de%20mat%C3%A9riel%20informatique%20%C3%A0%20prix%20solidaire"
}
local fees = {
  "Gratuit",
  "Gratuit%20sous%20condition",
  "Payant"
}

math.randomseed(os.time())

request = function()
  local lat = 42.4 + math.random() * 8.6
  local lon = -4.6 + math.random() * 12.8
  local path = string.format("/api/v1/lieux?lat=%.5f&lon=%.5f&services=%s",
    lat, lon, services[math.random(#services)])
  if math.random(4) == 1 then
    path = path .. "&frais_a_charge=" .. fees[1]
  end
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write("----- api-lieux\n")
  io.write(string.format("requests      %d\n", summary.requests))
  io.write(string.format("requests/s    %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50   %.2f ms\n", latency:percentile(50) / 1000))
  io.write(string.format("latency p90   %.2f ms\n", latency:percentile(90) / 1000))
  io.write(string.format("latency p99   %.2f ms\n", latency:percentile(99) / 1000))
  io.write(string.format("latency max   %.2f ms\n", latency.max / 1000))
  io.write(string.format("errors        %d (connect %d, read %d, write %d, non-2xx %d, timeout %d)\n",
    errors, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
