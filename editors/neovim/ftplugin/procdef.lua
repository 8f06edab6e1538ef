-- procdef: comments, and the language server for the buffer.
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1

vim.bo.commentstring = '# %s'
vim.bo.comments = ':#'
vim.b.undo_ftplugin = 'setlocal commentstring< comments<'

local procdef = require('procdef')
local bufnr = vim.api.nvim_get_current_buf()

-- The keywords highlighted depend on the first line (`# language: ru`):
-- when it changes, load the syntax again.
vim.api.nvim_create_autocmd({ 'TextChanged', 'TextChangedI' }, {
  buffer = bufnr,
  callback = function()
    if vim.b[bufnr].procdef_keywords and vim.b[bufnr].procdef_keywords ~= procdef.keyword_language(bufnr) then
      vim.bo[bufnr].syntax = 'procdef'
    end
  end,
})

-- `let g:procdef_lsp = v:false` (or vim.g.procdef_lsp = false) leaves the
-- server to another setup, nvim-lspconfig's for example.
if vim.g.procdef_lsp ~= false and vim.g.procdef_lsp ~= 0 then
  procdef.attach(bufnr)
end
