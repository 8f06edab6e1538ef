-- Tests of the Neovim setup (ftdetect, syntax, ftplugin, lua/procdef.lua)
-- against a stand-in server that logs what it is sent. From the repository:
--
--   nvim --headless -u NONE -i NONE -c 'luafile editors/neovim/test/setup_test.lua'
--
-- Prints "N passed, N failed" and exits non-zero when a check fails.
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local setup_dir = vim.fn.fnamemodify(here, ':h')
vim.opt.rtp:prepend(setup_dir)
vim.cmd('filetype plugin on')
vim.cmd('syntax on')

local passed, failed = 0, 0
local function check(what, got, want)
  if vim.deep_equal(got, want) then
    passed = passed + 1
  else
    failed = failed + 1
    io.stderr:write(('FAIL %s: got %s, want %s\n'):format(what, vim.inspect(got), vim.inspect(want)))
  end
end

-- A folder with `procdef` on the PATH being the stand-in server.
local tmp = vim.fn.tempname()
vim.fn.mkdir(tmp .. '/bin', 'p')
vim.loop.fs_symlink(here .. '/fake-server.js', tmp .. '/bin/procdef')
vim.env.PATH = tmp .. '/bin:' .. vim.env.PATH
local log = tmp .. '/log.jsonl'
vim.env.PROCDEF_FAKE_LOG = log

local function write(path, lines)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  vim.fn.writefile(lines, path)
end

local function messages()
  if vim.fn.filereadable(log) == 0 then
    return {}
  end
  return vim.tbl_map(vim.fn.json_decode, vim.fn.readfile(log))
end

local function initializes()
  return vim.tbl_filter(function(m)
    return m.method == 'initialize'
  end, messages())
end

local function attached()
  return #vim.lsp.buf_get_clients(0) > 0
end

-- The syntax group at the `n`-th `text` of line `lnum` (bytes, 1-based).
local function group(lnum, text, n)
  local line = vim.fn.getline(lnum)
  local at = 0
  for _ = 1, n or 1 do
    at = line:find(text, at + 1, true)
    assert(at, ('%q not on line %d: %q'):format(text, lnum, line))
  end
  return vim.fn.synIDattr(vim.fn.synID(lnum, at, 1), 'name')
end

-- A project with a procdef.toml: the server's root is its folder.
write(tmp .. '/p1/procdef.toml', {})
write(tmp .. '/p1/sub/a.proc', {
  '# язык: ru',
  'процесс продажи "Продажи" {',
  '  этап звонок {',
  '    ответственный менеджер',
  '    длится 3д затраты 30min',
  '    описание "a \\n \\q"',
  '    -> договор 30% цикл',
  '  }',
  '  stage owner',
  '}',
})
write(tmp .. '/p1/b.proc', {
  'process p {',
  '# language: ru',
  '  # allow(idle-role)',
  '  stage этап { takes 14д within 2h }',
  '  description """',
  '    stage "in a block" 3d',
  '  """',
  '}',
})

vim.cmd('edit ' .. tmp .. '/p1/sub/a.proc')
check('filetype', vim.bo.filetype, 'procdef')
check('commentstring', vim.bo.commentstring, '# %s')
check('keyword language of a Russian file', vim.b.procdef_keywords, 'ru')
check('Russian declaration', group(3, 'этап'), 'procdefDeclaration')
check('stage name', group(3, 'звонок'), 'procdefStageName')
check('Russian keyword', group(4, 'ответственный'), 'procdefKeyword')
check('role reference', group(4, 'менеджер'), 'procdefRoleRef')
check('Russian unit', group(5, 'д', 2), 'procdefUnit')
check('English unit in a Russian file', group(5, 'min'), 'procdefBadUnit')
check('escape', group(6, '\\n'), 'procdefEscape')
check('unknown escape', group(6, '\\q'), 'procdefEscapeBad')
check('stage reference', group(7, 'договор'), 'procdefStageRef')
check('percent', group(7, '30'), 'procdefNumber')
check('loop', group(7, 'цикл'), 'procdefLoop')
check('English word in a Russian file', group(9, 'stage'), 'procdefName')
check('header', group(1, '#'), 'procdefHeader')
check('attached', vim.wait(5000, attached), true)
check('omnifunc completes through the server', vim.bo.omnifunc, 'v:lua.vim.lsp.omnifunc')

-- The header changed to English: the English keywords apply.
vim.api.nvim_buf_set_lines(0, 0, 1, false, { '# language: en' })
vim.cmd('doautocmd TextChanged')
check('keyword language after the header changed', vim.b.procdef_keywords, 'en')
check('Russian word in an English file', group(3, 'этап'), 'procdefName')
check('English keyword after the header changed', group(9, 'stage'), 'procdefDeclaration')

vim.cmd('edit ' .. tmp .. '/p1/b.proc')
check('English declaration', group(4, 'stage'), 'procdefDeclaration')
check('Cyrillic stage name', group(4, 'этап'), 'procdefStageName')
check('Russian unit in an English file', group(4, 'д'), 'procdefBadUnit')
check('a header on line 2 is a comment', group(2, '#'), 'procdefComment')
check('allow comment', group(3, 'allow'), 'procdefAllow')
check('text block', group(6, 'stage'), 'procdefTextBlock')
check('attached to the second file', vim.wait(5000, attached), true)
check('one server for one root', #vim.lsp.get_active_clients(), 1)

local inits = initializes()
check('one initialize', #inits, 1)
check('server arguments', messages()[1].argv, { 'lsp' })
check('inlay hints on by default', inits[1] and inits[1].params.initializationOptions, { inlayHints = true })
check('root: the folder of procdef.toml', inits[1] and inits[1].params.rootUri, vim.uri_from_fname(tmp .. '/p1'))

-- Inlay hints off: a new server (another root) gets { inlayHints = false }.
require('procdef').setup({ inlay_hints = false })
write(tmp .. '/p2/c.proc', { 'process c {}' })
vim.cmd('edit ' .. tmp .. '/p2/c.proc')
check('attached in another root', vim.wait(5000, attached), true)
check('a second server', vim.wait(5000, function()
  return #initializes() == 2
end), true)
inits = initializes()
check('inlay hints off', inits[2] and inits[2].params.initializationOptions, { inlayHints = false })
check('root: the file folder', inits[2] and inits[2].params.rootUri, vim.uri_from_fname(tmp .. '/p2'))

-- No server: turned off, or the binary missing (a warning, no error).
vim.g.procdef_lsp = false
write(tmp .. '/p3/d.proc', { 'process d {}' })
vim.cmd('edit ' .. tmp .. '/p3/d.proc')
check('g:procdef_lsp = false starts no server', vim.wait(300, attached), false)
vim.g.procdef_lsp = nil
local notes = {}
vim.notify = function(msg)
  table.insert(notes, msg)
end
require('procdef').setup({ cmd = { tmp .. '/missing/procdef', 'lsp' } })
write(tmp .. '/p4/e.proc', { 'process e {}' })
vim.cmd('edit ' .. tmp .. '/p4/e.proc')
check('a missing binary starts no server', vim.wait(300, attached), false)
check('a missing binary is said once', #notes, 1)

-- The syntax file on every .proc file of the repository: an error group
-- (an unknown unit, a bad escape) only where procdef reports P002.
vim.g.procdef_lsp = false
local repo = vim.fn.fnamemodify(setup_dir, ':h:h')
local files = vim.fn.globpath(repo, 'examples/*.proc', false, true)
vim.list_extend(files, vim.fn.globpath(repo, 'tests/fixtures/**/*.proc', false, true))
local wrong, marked = {}, 0
for _, file in ipairs(files) do
  vim.cmd('silent edit ' .. vim.fn.fnameescape(file))
  local expects_p002 = table.concat(vim.fn.getline(1, 5), '\n'):match('# expect:[^\n]*P002') ~= nil
  local found = false
  for l = 1, vim.fn.line('$') do
    local line = vim.fn.getline(l)
    for c = 1, #line do
      local name = vim.fn.synIDattr(vim.fn.synID(l, c, 1), 'name')
      if name == 'procdefBadUnit' or name == 'procdefEscapeBad' then
        found = true
        if not expects_p002 then
          table.insert(wrong, ('%s:%d:%d %s'):format(vim.fn.fnamemodify(file, ':.'), l, c, name))
        end
        break
      end
    end
  end
  marked = marked + (found and 1 or 0)
  vim.cmd('bwipeout!')
end
check('repository .proc files read', #files >= 20, true)
check('error groups only in files with P002', wrong, {})
check('some P002 fixtures show an error group', marked > 0, true)

io.stdout:write(('%d passed, %d failed\n'):format(passed, failed))
vim.cmd(failed == 0 and 'qa!' or 'cquit!')
