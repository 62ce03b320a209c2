-- wrk script: GET the paths listed in the file CL_PATHS (one per line) in turn, each thread from its
-- own starting point, so that a run asks for many different pages (rendered, not served from the
-- server's page cache, until each has been asked for once).
local paths = {}
for line in io.lines(os.getenv("CL_PATHS")) do
  if line ~= "" then table.insert(paths, line) end
end
local threads = 0

function setup(thread)
  thread:set("start", threads * 104729)
  threads = threads + 1
end

function init(args)
  position = start or 0
end

function request()
  position = position + 1
  return wrk.format("GET", paths[(position % #paths) + 1])
end
