-- Run by tests/nvim.rs inside `nvim --headless -u editors/neovim/init.lua`:
-- waits for the diagnostics of the file opened, writes one line per
-- diagnostic (line:column:code:severity:message, 1-based) into the file
-- named by $PROCDEF_NVIM_OUT, and quits. A line `error: …` says what went
-- wrong instead.
local out = assert(os.getenv("PROCDEF_NVIM_OUT"))
local lines = {}
local attached = vim.wait(10000, function()
  return #vim.lsp.buf_get_clients(0) > 0
end, 20)
if not attached then
  lines = { "error: no language server attached to " .. vim.api.nvim_buf_get_name(0) }
else
  local found = vim.wait(10000, function()
    return #vim.diagnostic.get(0) > 0
  end, 20)
  if not found then
    lines = { "error: no diagnostics within 10 s" }
  end
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then
      code = d.user_data.lsp.code
    end
    local message = d.message:gsub("\n.*", "")
    table.insert(lines, string.format("%d:%d:%s:%d:%s", d.lnum + 1, d.col + 1, tostring(code), d.severity, message))
  end
  table.sort(lines)
end
vim.fn.writefile(lines, out)
vim.cmd("qall!")
