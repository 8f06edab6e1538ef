-- procdef for Neovim's built-in LSP client (Neovim 0.7 and later).
--
--   require('procdef').setup({ cmd = { 'procdef', 'lsp' }, inlay_hints = true })
--
-- The ftplugin calls attach() for every buffer of filetype procdef, so
-- setup() is needed only to change the defaults. One server runs per root
-- (the folder of the nearest procdef.toml, else of the nearest .git, else
-- the file's own folder), shared by every .proc buffer under it.
local M = {}

M.config = {
  -- The server's command: the binary from the PATH, or a full path.
  cmd = { 'procdef', 'lsp' },
  -- Inlay hints (each stage's win probability, a transition's remainder).
  -- false starts the server with the initialization options
  -- { inlayHints = false }.
  inlay_hints = true,
  -- Called with (client, bufnr) when a buffer attaches: set mappings here.
  on_attach = nil,
}

-- Client ids by root folder.
local clients = {}
local warned = false

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', M.config, opts or {})
  if opts and opts.cmd then
    M.config.cmd = opts.cmd -- a list is replaced, not merged
  end
end

local function exists(path)
  return path ~= nil and path ~= ''
end

-- The folder the server treats as the workspace for `file`.
function M.root_dir(file)
  local dir = vim.fn.fnamemodify(file, ':p:h')
  local toml = vim.fn.findfile('procdef.toml', dir .. ';')
  if exists(toml) then
    return vim.fn.fnamemodify(toml, ':p:h')
  end
  local git = vim.fn.finddir('.git', dir .. ';')
  if not exists(git) then
    git = vim.fn.findfile('.git', dir .. ';') -- a worktree's .git is a file
  end
  if exists(git) then
    return vim.fn.fnamemodify(git, ':p:h:h')
  end
  return dir
end

local function client_for(root)
  local id = clients[root]
  if id and vim.lsp.get_client_by_id(id) and not vim.lsp.client_is_stopped(id) then
    return id
  end
  local cfg = M.config
  id = vim.lsp.start_client({
    name = 'procdef',
    cmd = cfg.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = { inlayHints = cfg.inlay_hints ~= false },
    on_attach = function(client, bufnr)
      -- Neovim 0.7 leaves omnifunc to the user: <C-x><C-o> completes.
      if vim.bo[bufnr].omnifunc == '' then
        vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
      end
      -- Neovim 0.10 and later draw inlay hints once asked to.
      if cfg.inlay_hints ~= false and vim.lsp.inlay_hint and vim.lsp.inlay_hint.enable then
        pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr })
      end
      if cfg.on_attach then
        cfg.on_attach(client, bufnr)
      end
    end,
    on_exit = function()
      clients[root] = nil
    end,
  })
  clients[root] = id
  return id
end

-- Starts (or reuses) the server for the buffer and attaches it.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local file = vim.api.nvim_buf_get_name(bufnr)
  if vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  if vim.fn.executable(M.config.cmd[1]) ~= 1 then
    if not warned then
      warned = true
      vim.notify(
        ('procdef: `%s` is not an executable; install procdef or set the command with require("procdef").setup({ cmd = { "/path/to/procdef", "lsp" } })'):format(
          M.config.cmd[1]
        ),
        vim.log.levels.WARN
      )
    end
    return nil
  end
  local root = M.root_dir(file ~= '' and file or vim.fn.getcwd() .. '/untitled.proc')
  local id = client_for(root)
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

-- The keyword language the first line asks for: 'ru' or 'en'.
function M.keyword_language(bufnr)
  local first = vim.api.nvim_buf_get_lines(bufnr or 0, 0, 1, false)[1] or ''
  first = first:gsub('^\239\187\191', '') -- a byte-order mark
  local code = first:match('^%s*#%s*language%s*:%s*(%a+)%s*$') or first:match('^%s*#%s*язык%s*:%s*(%a+)%s*$')
  return code == 'ru' and 'ru' or 'en'
end

return M
