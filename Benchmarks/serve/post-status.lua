-- wrk script: POST a status to /api/v1/claims/{claim}/statuses with a bearer token, each request a new
-- rationale; counts 2xx (acknowledged durable appends) and other answers, over all threads.
-- Environment: CL_TOKEN (the API token), CL_CLAIMS (claim ids separated by commas; each thread goes
-- through them in turn from its own starting point, so that writes spread over many claims, as a
-- newsroom's do), CL_TAG (a tag in each rationale, so a run's entries can be found in the ledger).
local token = os.getenv("CL_TOKEN") or ""
local tag = os.getenv("CL_TAG") or "wrk"
local claims = {}
for id in string.gmatch(os.getenv("CL_CLAIMS") or "bench-claim-1", "[^,]+") do table.insert(claims, id) end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  ok, refused, sent = 0, 0, 0
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
end

function request()
  sent = sent + 1
  local path = "/api/v1/claims/" .. claims[((tid * 7919 + sent) % #claims) + 1] .. "/statuses"
  local body = string.format('{"status":"disputed","rationale":"%s t%d n%d"}', tag, tid, sent)
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else refused = refused + 1 end
  if refused == 1 and status >= 300 then io.stderr:write("first refusal: " .. status .. " " .. body .. "\n") end
end

function done(summary, latency, requests)
  local total_ok, total_refused = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_refused = total_refused + t:get("refused")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("WRITES ok=%d refused=%d seconds=%.3f ok_per_s=%.1f p50_ms=%.2f p99_ms=%.2f\n",
    total_ok, total_refused, seconds, total_ok / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
