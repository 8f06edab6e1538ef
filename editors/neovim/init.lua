-- procdef in Neovim 0.7 or later, with the built-in LSP client: `.proc`
-- files get the `procdef` filetype, and each gets `procdef lsp`, one
-- server per root folder (the folder of the nearest procdef.toml, else the
-- file's own). See docs/editors.md.
--
-- Use it from your init.lua with `dofile("/path/to/editors/neovim/init.lua")`,
-- or start Neovim with `nvim -u editors/neovim/init.lua file.proc` to try it.
-- Settings, all optional, set before this file runs:
--   vim.g.procdef_cmd = { "procdef", "lsp" }  -- how to start the server
--   vim.g.procdef_inlay_hints = false          -- no win probabilities inline

-- (An autocommand rather than vim.filetype.add, which Neovim 0.7 applies
-- only with g:do_filetype_lua set.)
vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
  pattern = "*.proc",
  callback = function()
    vim.bo.filetype = "procdef"
  end,
})

-- This folder on the runtimepath: its syntax/procdef.vim highlights
-- without tree-sitter.
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$")
if here ~= nil then
  vim.opt.runtimepath:append(here)
end

local clients = {}

local function root_of(file)
  local folder = vim.fn.fnamemodify(file, ":p:h")
  local config = vim.fn.findfile("procdef.toml", folder .. ";")
  if config ~= "" then
    return vim.fn.fnamemodify(config, ":p:h")
  end
  return folder
end

local function start(buffer)
  local root = root_of(vim.api.nvim_buf_get_name(buffer))
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({
      name = "procdef",
      cmd = vim.g.procdef_cmd or { "procdef", "lsp" },
      root_dir = root,
      init_options = { inlayHints = vim.g.procdef_inlay_hints ~= false },
    })
    clients[root] = id
  end
  if id ~= nil then
    vim.lsp.buf_attach_client(buffer, id)
  end
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "procdef",
  callback = function(args)
    start(args.buf)
  end,
})

-- `#` starts a comment.
vim.api.nvim_create_autocmd("FileType", {
  pattern = "procdef",
  callback = function()
    vim.bo.commentstring = "# %s"
    vim.bo.comments = ":#"
  end,
})
